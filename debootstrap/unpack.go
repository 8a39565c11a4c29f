package debootstrap

import (
	"fmt"
	"io"
	"os"
	"strings"

	"pault.ag/go/debian/deb"
)

// unpackDeb writes the data archive of the .deb at file into the root,
// decompressing it as the repacking path does (the host's xz when it has
// one).
func (x *extractor) unpackDeb(file, name string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	defer f.Close()
	ar, err := deb.LoadAr(f)
	if err != nil {
		return fmt.Errorf("unpacking %s: reading %s: %w", name, file, err)
	}
	for {
		m, err := ar.Next()
		if err == io.EOF {
			return fmt.Errorf("unpacking %s: %s has no data member", name, file)
		}
		if err != nil {
			return fmt.Errorf("unpacking %s: reading %s: %w", name, file, err)
		}
		if strings.HasPrefix(m.Name, "data.tar") {
			return x.unpackData(m, name)
		}
	}
}

// unpackData extracts one data.tar member into the root.
func (x *extractor) unpackData(m *deb.ArEntry, name string) error {
	dec, err := decompress(m)
	if err != nil {
		return fmt.Errorf("unpacking %s: reading %s: %w", name, m.Name, err)
	}
	err = x.extractTar(tarReader(dec), nil)
	if err == nil { // the tar's end padding, or xz dies writing it
		_, err = io.Copy(io.Discard, dec)
	}
	if cerr := dec.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	return nil
}
