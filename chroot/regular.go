package chroot

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// ReadRegularFile reads name, following symlinks inside the root, when it
// is a regular file of at most limit bytes. Anything else is refused
// before it is read: a link to /dev/zero or a fifo would never end.
func (r *Root) ReadRegularFile(name string, limit int64) ([]byte, error) {
	f, err := r.OpenFile(name, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, pathErr("reading", clean(name), err)
	}
	if !fi.Mode().IsRegular() {
		return nil, pathErr("reading", clean(name), errors.New("not a regular file"))
	}
	if fi.Size() > limit {
		return nil, pathErr("reading", clean(name), fmt.Errorf("larger than %d bytes", limit))
	}
	data, err := io.ReadAll(io.LimitReader(f, limit))
	return data, pathErr("reading", clean(name), err)
}
