package pack

import (
	"bytes"
	"errors"
	"sort"

	"golang.org/x/sys/unix"
)

// xattr is one extended attribute of a file.
type xattr struct {
	Name  string
	Value []byte
}

// xattrReader reads extended attributes with a reused buffer.
type xattrReader struct{ buf []byte }

// read returns path's extended attributes (not following symlinks),
// sorted by name; a file system without xattr support yields none.
func (x *xattrReader) read(path string) ([]xattr, error) {
	if x.buf == nil {
		x.buf = make([]byte, 64<<10)
	}
	n, err := unix.Llistxattr(path, x.buf)
	if errors.Is(err, unix.ENOTSUP) || n == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []xattr
	for _, name := range bytes.Split(x.buf[:n-1], []byte{0}) {
		v, err := getxattr(path, string(name))
		if errors.Is(err, unix.ENODATA) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, xattr{Name: string(name), Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func getxattr(path, name string) ([]byte, error) {
	buf := make([]byte, 256)
	for {
		n, err := unix.Lgetxattr(path, name, buf)
		if errors.Is(err, unix.ERANGE) {
			buf = make([]byte, 2*len(buf))
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}
