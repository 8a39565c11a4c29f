package debootstrap

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
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
