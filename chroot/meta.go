package chroot

import (
	"errors"
	"io/fs"
	"os"
	"path"

	"golang.org/x/sys/unix"
)

// Chmod changes the mode of name, not following a final symlink; Linux
// symlinks have no mode of their own, so a final symlink is an error.
func (r *Root) Chmod(name string, mode fs.FileMode) error {
	return r.atParent("changing mode of", name, func(dirfd int, base string) error {
		fd, err := unix.Openat(dirfd, base, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			return err
		}
		if st.Mode&unix.S_IFMT == unix.S_IFLNK {
			return errors.New("is a symlink")
		}
		return chmodFD(fd, unixMode(mode))
	})
}

// Lchown changes the owner of name (not following a final symlink).
func (r *Root) Lchown(name string, uid, gid int) error {
	return r.atParent("changing owner of", name, func(dirfd int, base string) error {
		return unix.Fchownat(dirfd, base, uid, gid, unix.AT_SYMLINK_NOFOLLOW)
	})
}

// Symlink creates name as a symlink to target (target is stored as is).
func (r *Root) Symlink(target, name string) error {
	return r.atParent("creating symlink", name, func(dirfd int, base string) error {
		return unix.Symlinkat(target, dirfd, base)
	})
}

// Readlink returns the target of the symlink name.
func (r *Root) Readlink(name string) (string, error) {
	var target string
	err := r.atParent("reading link", name, func(dirfd int, base string) error {
		for size := 256; ; size *= 2 {
			buf := make([]byte, size)
			n, err := unix.Readlinkat(dirfd, base, buf)
			if err != nil || n < size {
				target = string(buf[:max(n, 0)])
				return err
			}
		}
	})
	return target, err
}

// Lstat describes name without following a final symlink.
func (r *Root) Lstat(name string) (fs.FileInfo, error) {
	var fi fs.FileInfo
	err := r.atParent("inspecting", name, func(dirfd int, base string) error {
		fd, err := unix.Openat(dirfd, base, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		f := os.NewFile(uintptr(fd), base)
		defer f.Close()
		fi, err = f.Stat()
		return err
	})
	return fi, err
}

// Stat describes name, following symlinks inside the root.
func (r *Root) Stat(name string) (fs.FileInfo, error) {
	name = clean(name)
	fd, err := r.open(name, unix.O_PATH, 0)
	if err != nil {
		return nil, pathErr("inspecting", name, err)
	}
	f := os.NewFile(uintptr(fd), path.Base(name))
	defer f.Close()
	fi, err := f.Stat()
	return fi, pathErr("inspecting", name, err)
}
