package chroot

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// RemoveAll removes name and everything below it; missing is not an error.
// It walks by descriptors and never follows a symlink, so nothing outside
// the root is removed; it refuses to cross into another file system (a
// mount inside the root) and to remove the root itself.
func (r *Root) RemoveAll(name string) error {
	if clean(name) == "/" {
		return pathErr("removing", "/", errors.New("refusing to remove the root"))
	}
	err := r.atParent("removing", name, func(dirfd int, base string) error {
		return removeAt(dirfd, base)
	})
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	return err
}

// removeAt removes base in dirfd and, for a folder, its content first.
func removeAt(dirfd int, base string) error {
	err := unix.Unlinkat(dirfd, base, 0)
	if err != unix.EISDIR {
		return err
	}
	fd, err := unix.Openat(dirfd, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	if err := sameDevice(dirfd, fd); err != nil {
		unix.Close(fd)
		return err
	}
	f := os.NewFile(uintptr(fd), base)
	names, err := f.Readdirnames(-1)
	for _, n := range names {
		if err != nil {
			break
		}
		if rerr := removeAt(fd, n); rerr != nil && rerr != unix.ENOENT {
			err = &os.PathError{Op: "removing", Path: base + "/" + n, Err: rerr}
		}
	}
	f.Close()
	if err != nil {
		return err
	}
	return unix.Unlinkat(dirfd, base, unix.AT_REMOVEDIR)
}

// sameDevice fails when fd sits on another file system than dirfd: a mount
// point inside the root, whose content is not the root's to remove.
func sameDevice(dirfd, fd int) error {
	var a, b unix.Stat_t
	if err := unix.Fstat(dirfd, &a); err != nil {
		return err
	}
	if err := unix.Fstat(fd, &b); err != nil {
		return err
	}
	if a.Dev != b.Dev {
		return errors.New("is a mount point")
	}
	return nil
}
