// Package spdxschema validates SPDX 2.3 JSON documents in tests against
// the SPDX project's JSON schema for 2.3, with a JSON-schema validator
// (santhosh-tekuri/jsonschema) that also asserts formats such as
// date-time and uri.
//
// The schema file is not copied into this repository: it is read from
// the Go module that ships it (anchore/syft, whose own tests validate
// its SPDX output against it), which the go command fetches from the
// module proxy once and keeps in its module cache.
package spdxschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Module is the Go module, at a pinned version, that ships the schema.
const Module = "github.com/anchore/syft@v1.57.2"

// File is the schema's path inside Module: the SPDX project's
// spdx-schema.json of SPDX 2.3 ("$id": "http://spdx.org/rdf/terms/2.3").
const File = "schema/spdx-json/spdx-schema-2.3.json"

var (
	once    sync.Once
	schema  *jsonschema.Schema
	loadErr error
)

// Validate fails t when doc is not a valid SPDX 2.3 JSON document, with
// every violation the validator reports.
func Validate(t testing.TB, doc []byte) {
	t.Helper()
	if err := Check(doc); err != nil {
		t.Error(err)
	}
}

// Check validates doc against the SPDX 2.3 JSON schema.
func Check(doc []byte) error {
	once.Do(func() { schema, loadErr = load() })
	if loadErr != nil {
		return fmt.Errorf("loading the SPDX 2.3 JSON schema from %s: %w", Module, loadErr)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("SPDX document is not JSON: %w", err)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("SPDX document fails the SPDX 2.3 JSON schema:\n%v", err)
	}
	return nil
}

// load downloads Module (a no-op when the module cache has it) and
// compiles its schema file.
func load() (*jsonschema.Schema, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("go", "mod", "download", "-json", Module)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var mod struct{ Dir, Error string }
	if err == nil {
		err = json.Unmarshal(out, &mod)
	}
	if err != nil || mod.Dir == "" {
		return nil, fmt.Errorf("go mod download %s: %v %s\n%s%s", Module, err, mod.Error, out, stderr.Bytes())
	}
	f, err := os.Open(filepath.Join(mod.Dir, File))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", f.Name(), err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "http://spdx.org/rdf/terms/2.3"
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
}
