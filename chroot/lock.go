package chroot

import (
	"errors"

	"golang.org/x/sys/unix"
)

var errInUse = errors.New("the root is in use by another chrootbuild (prepared and not yet undone)")

// lock takes an exclusive, non-blocking flock on the root folder. The
// kernel drops it when the holder dies, so a killed build never leaves the
// root locked; the marker it leaves is then undone by the next Prepare.
func (r *Root) lock() (unlock func(), err error) {
	fd, err := unix.Open(r.dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		unix.Close(fd)
		if err == unix.EWOULDBLOCK {
			return nil, errInUse
		}
		return nil, err
	}
	return func() { unix.Close(fd) }, nil
}
