package debootstrap

import (
	"fmt"
	"os"

	"pault.ag/go/debian/deb"
)

// unpackDeb writes the data archive of the .deb at file into the root.
func (x *extractor) unpackDeb(file, name string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	defer f.Close()
	d, err := deb.Load(f, file)
	if err != nil {
		return fmt.Errorf("unpacking %s: reading %s: %w", name, file, err)
	}
	defer d.Close()
	if err := x.extractTar(d.Data, nil); err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	return nil
}
