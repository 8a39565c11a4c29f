package imagediff

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// buffers are one worker's read buffers.
type buffers struct{ a, b []byte }

func newBuffers() *buffers { return &buffers{make([]byte, 256<<10), make([]byte, 256<<10)} }

// sameContent reports whether two files of equal size hold the same
// bytes: two files on the host are read side by side and compared,
// stopping at the first difference; a tar's file is known by its SHA-256,
// which a host file is hashed to meet.
func sameContent(o, n *File, b *buffers) (bool, error) {
	switch {
	case o.host != "" && n.host != "":
		return sameFiles(o.host, n.host, b)
	case o.host == "" && n.host == "":
		return o.sum == n.sum, nil
	case o.host != "":
		sum, err := hashFile(o.host)
		return sum == n.sum, err
	default:
		sum, err := hashFile(n.host)
		return sum == o.sum, err
	}
}

// openEntry opens a root's regular file as the walk found it, never
// following a symlink put in its place since.
func openEntry(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return f, nil
}

func sameFiles(a, b string, buf *buffers) (bool, error) {
	fa, err := openEntry(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := openEntry(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	for {
		na, erra := io.ReadFull(fa, buf.a)
		nb, errb := io.ReadFull(fb, buf.b)
		if na != nb || !bytes.Equal(buf.a[:na], buf.b[:nb]) {
			return false, nil
		}
		if erra == io.EOF || erra == io.ErrUnexpectedEOF {
			return errb == erra, nil
		}
		if erra != nil {
			return false, fmt.Errorf("reading %s: %w", a, erra)
		}
		if errb != nil {
			return false, fmt.Errorf("reading %s: %w", b, errb)
		}
	}
}

// hashFile hashes a root's file, opened without following a symlink put
// in its place.
func hashFile(name string) ([32]byte, error) {
	f, err := openEntry(name)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	sum, err := filehash.RawOf(f)
	if err != nil {
		return sum, fmt.Errorf("reading %s: %w", name, err)
	}
	return sum, nil
}
