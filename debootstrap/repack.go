package debootstrap

import (
	"fmt"
	"io"
	"os"
	"strings"

	"pault.ag/go/debian/deb"
)

// unpackRepack unpacks the .deb at file into the root and, in the same
// pass, writes to out a copy of it whose data member is the uncompressed
// data.tar. dpkg then installs the copy and does not decompress again
// what was just decompressed here: for the essential set that is most of
// the xz work of a bootstrap.
//
// how says what else it does (see repackHow).
func (x *extractor) unpackRepack(file, name string, out *os.File, how repackHow) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	defer f.Close()
	ar, err := deb.LoadAr(f)
	if err != nil {
		return fmt.Errorf("unpacking %s: reading %s: %w", name, file, err)
	}
	if err := x.repackMembers(ar, out, how); err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	return nil
}

// repackMembers copies debian-binary and the control member as they are
// and replaces data.tar.* by the plain tar it extracts.
func (x *extractor) repackMembers(ar *deb.Ar, out *os.File, how repackHow) error {
	if _, err := io.WriteString(out, "!<arch>\n"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		m, err := ar.Next()
		if err == io.EOF {
			return fmt.Errorf("no data member")
		}
		if err != nil {
			return err
		}
		switch {
		case i == 0 && m.Name == "debian-binary":
			if err := writeArMember(out, m.Name, m.Size, m.Data); err != nil {
				return err
			}
		case i == 1 && strings.HasPrefix(m.Name, "control.tar"):
			if err := copyControl(m, out, how.rule); err != nil {
				return err
			}
		case i == 2 && strings.HasPrefix(m.Name, "data.tar"):
			return x.repackData(m, out, how)
		default:
			return fmt.Errorf("unexpected member %q at position %d", m.Name, i+1)
		}
	}
}

// repackData decompresses the data member once and, from that one
// stream, extracts it (how.extract), writes the data.tar member of the
// copy (the whole tar, or its skeleton) and the plain tar (how.plain);
// the member's size is patched in at the end.
func (x *extractor) repackData(m *deb.ArEntry, out *os.File, how repackHow) error {
	dec, err := decompress(m)
	if err != nil {
		return fmt.Errorf("reading %s: %w", m.Name, err)
	}
	closed := false
	defer func() {
		if !closed {
			dec.Close()
		}
	}()
	start, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if err := writeArHeader(out, "data.tar", 0); err != nil {
		return err
	}
	var src io.Reader = dec
	if how.plain != nil {
		src = io.TeeReader(dec, how.plain)
	}
	if how.skeleton {
		err = x.skeletonData(src, out, how)
	} else {
		src = io.TeeReader(src, out)
		if how.extract {
			err = x.extractTar(tarReader(src), how.rule)
		}
	}
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.Discard, src); err != nil { // the tar's end padding
		return fmt.Errorf("reading %s: %w", m.Name, err)
	}
	closed = true
	if err := dec.Close(); err != nil {
		return fmt.Errorf("reading %s: %w", m.Name, err)
	}
	end, err := out.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	size := end - start - 60
	if size%2 == 1 {
		out.Write([]byte{'\n'})
	}
	if _, err := out.Seek(start, io.SeekStart); err != nil {
		return err
	}
	return writeArHeader(out, "data.tar", size)
}

func writeArMember(w io.Writer, name string, size int64, r io.Reader) error {
	if err := writeArHeader(w, name, size); err != nil {
		return err
	}
	if _, err := io.CopyN(w, r, size); err != nil {
		return err
	}
	if size%2 == 1 {
		_, err := w.Write([]byte{'\n'})
		return err
	}
	return nil
}

// writeArHeader writes a 60-byte ar member header as dpkg-deb does.
func writeArHeader(w io.Writer, name string, size int64) error {
	_, err := fmt.Fprintf(w, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", name, 0, 0, 0, "100644", size)
	return err
}
