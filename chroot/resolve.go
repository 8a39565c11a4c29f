package chroot

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strconv"

	"golang.org/x/sys/unix"
)

// This file is the only place where paths inside the root meet the kernel:
// every lookup goes through openat2 with RESOLVE_IN_ROOT, so ".." and
// symlinks (absolute or relative) are resolved as if the root were "/", and
// the final component is then handled by an *at syscall on the parent's
// descriptor without following it.

// resolveFlags scope every lookup to the root; magic links (/proc/PID/fd
// style) are refused because they could point anywhere.
const resolveFlags = unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS

// clean turns name into an absolute, lexically clean path inside the root.
// Relative names are taken from the root.
func clean(name string) string { return path.Clean("/" + name) }

// split returns the parent folder and final component of a clean path; the
// root itself is ("/", ".").
func split(name string) (dir, base string) {
	if name == "/" {
		return "/", "."
	}
	return path.Dir(name), path.Base(name)
}

// openRootFD opens the root folder itself as an O_PATH descriptor.
func (r *Root) openRootFD() (int, error) {
	return unix.Open(r.dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
}

// openIn opens name (clean, absolute) resolved inside the root whose
// descriptor is rootfd.
func openIn(rootfd int, name string, flags uint64, mode uint32) (int, error) {
	how := unix.OpenHow{Flags: flags | unix.O_CLOEXEC, Resolve: resolveFlags}
	if flags&(unix.O_CREAT|unix.O_TMPFILE) != 0 {
		how.Mode = uint64(mode) // openat2 refuses a mode otherwise
	}
	rel := "." + name
	for tries := 0; ; tries++ {
		fd, err := unix.Openat2(rootfd, rel, &how)
		// EAGAIN means a concurrent rename raced the lookup; retry a little.
		if (err == unix.EAGAIN || err == unix.EINTR) && tries < 64 {
			continue
		}
		return fd, err
	}
}

// open opens name resolved inside the root.
func (r *Root) open(name string, flags uint64, mode uint32) (int, error) {
	rootfd, err := r.openRootFD()
	if err != nil {
		return -1, err
	}
	defer unix.Close(rootfd)
	return openIn(rootfd, name, flags, mode)
}

// parent opens the parent folder of name (clean) inside the root as an
// O_PATH descriptor and returns it with the final component.
func (r *Root) parent(name string) (int, string, error) {
	dir, base := split(name)
	fd, err := r.open(dir, unix.O_PATH|unix.O_DIRECTORY, 0)
	return fd, base, err
}

// atParent runs fn with the parent descriptor and final component of name,
// and wraps any error as op on name.
func (r *Root) atParent(op, name string, fn func(dirfd int, base string) error) error {
	name = clean(name)
	dirfd, base, err := r.parent(name)
	if err != nil {
		return pathErr(op, name, err)
	}
	defer unix.Close(dirfd)
	return pathErr(op, name, fn(dirfd, base))
}

// chmodFD changes the mode of the file behind an O_PATH descriptor. fchmod
// refuses O_PATH descriptors, so go through its /proc/self/fd link, which
// names exactly that file whatever happens to the path.
func chmodFD(fd int, mode uint32) error {
	return unix.Chmod("/proc/self/fd/"+strconv.Itoa(fd), mode)
}

// fileFromFD wraps a descriptor; the name is the host path, so a message
// shows where the file is and misuse of Name() stays under the root.
func (r *Root) fileFromFD(fd int, name string) *os.File {
	return os.NewFile(uintptr(fd), path.Join(r.dir, name))
}

// pathErr wraps err as an *fs.PathError (nil stays nil; an existing
// PathError keeps its own words).
func pathErr(op, name string, err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// unixMode converts a FileMode's permission and special bits to mode_t.
func unixMode(m fs.FileMode) uint32 {
	mode := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		mode |= unix.S_ISUID
	}
	if m&fs.ModeSetgid != 0 {
		mode |= unix.S_ISGID
	}
	if m&fs.ModeSticky != 0 {
		mode |= unix.S_ISVTX
	}
	return mode
}
