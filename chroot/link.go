package chroot

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// LinkIn makes the host file src visible at name inside the root: a hard
// link when both are on one file system, a copy (mode kept) otherwise.
// name's folder is resolved inside the root and an existing name is an
// error, so neither a planted symlink nor a planted file is written
// through.
func (r *Root) LinkIn(src, name string) error {
	return r.atParent("linking", name, func(dirfd int, base string) error {
		err := unix.Linkat(unix.AT_FDCWD, src, dirfd, base, 0)
		if err != unix.EXDEV {
			return err
		}
		return copyAt(src, dirfd, base)
	})
}

// copyAt copies the host file src to a new file base in dirfd.
func copyAt(src string, dirfd int, base string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	fd, err := unix.Openat(dirfd, base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, unixMode(fi.Mode()))
	if err != nil {
		return err
	}
	out := os.NewFile(uintptr(fd), base)
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		unix.Unlinkat(dirfd, base, 0)
		return err
	}
	return out.Close()
}
