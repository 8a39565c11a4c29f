package main

import (
	"bytes"
	"errors"
	"path/filepath"
)

// The reference lives between these markers in the README.
const (
	beginMarker = "<!-- BEGIN GENERATED REFERENCE: go run ./hcl/gendoc; do not edit by hand -->\n"
	endMarker   = "<!-- END GENERATED REFERENCE -->\n"
)

// Splice replaces what lies between the markers of doc with ref.
func Splice(doc, ref []byte) ([]byte, error) {
	i := bytes.Index(doc, []byte(beginMarker))
	j := bytes.Index(doc, []byte(endMarker))
	if i < 0 || j < i {
		return nil, errors.New("no generated-reference markers (or END before BEGIN)")
	}
	var out bytes.Buffer
	out.Write(doc[:i+len(beginMarker)])
	out.Write(ref)
	out.Write(doc[j:])
	return out.Bytes(), nil
}

func dirOf(path string) string { return filepath.Dir(path) }
