package debootstrap

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"pault.ag/go/debian/deb"
)

// copyControl copies the control member to out as it is and, when rule
// is not nil, records the package's conffiles in it.
func copyControl(m *deb.ArEntry, out io.Writer, rule *unpackRule) error {
	if rule == nil {
		return writeArMember(out, m.Name, m.Size, m.Data)
	}
	data := make([]byte, m.Size)
	if _, err := io.ReadFull(m.Data, data); err != nil {
		return fmt.Errorf("reading %s: %w", m.Name, err)
	}
	conf, err := controlFile(m.Name, data, "conffiles")
	if err != nil {
		return err
	}
	if rule.conffiles, err = parseConffiles(conf); err != nil {
		return err
	}
	return writeArMember(out, m.Name, m.Size, bytes.NewReader(data))
}

// controlFile returns the member called name of a control.tar.* (nil
// when there is none).
func controlFile(member string, data []byte, name string) ([]byte, error) {
	ext := ""
	if i := strings.LastIndex(member, "."); i >= 0 && member != "control.tar" {
		ext = member[i:]
	}
	dec, err := deb.DecompressorFor(ext)(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", member, err)
	}
	defer dec.Close()
	tr := tar.NewReader(dec)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", member, err)
		}
		if strings.TrimPrefix(h.Name, "./") == name {
			return io.ReadAll(tr)
		}
	}
}

// unpackRepacked extracts the data of a repacked .deb (uncompressed
// data.tar) into the root as rule says.
func (x *extractor) unpackRepacked(f *os.File, name string, rule *unpackRule) error {
	ar, err := deb.LoadAr(f)
	if err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	for i := 0; ; i++ {
		m, err := ar.Next()
		if err != nil {
			return fmt.Errorf("unpacking %s: member %d: %w", name, i+1, err)
		}
		switch {
		case i == 1:
			if err := copyControl(m, io.Discard, rule); err != nil {
				return fmt.Errorf("unpacking %s: %w", name, err)
			}
		case i == 2 && m.Name == "data.tar":
			if err := x.extractTar(tarReader(m.Data), rule); err != nil {
				return fmt.Errorf("unpacking %s: %w", name, err)
			}
			return nil
		case i == 2:
			return fmt.Errorf("unpacking %s: data member %q is not a plain tar", name, m.Name)
		}
	}
}
