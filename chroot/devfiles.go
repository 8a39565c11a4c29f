package chroot

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// diskDevNodes are the device nodes a root carries in its own /dev on
// disk besides devNodes: a console, and a ptmx device rather than the
// link into a devpts instance that a command's tmpfs /dev has.
var diskDevNodes = []devNode{{"console", 5, 1}, {"ptmx", 5, 2}}

// diskDevDirs are the mount points a root's /dev holds.
var diskDevDirs = []string{"pts", "shm"}

// WriteDev fills the root's own /dev folder, as debootstrap and
// mmdebstrap leave it: null, zero, full, random, urandom, tty, console
// and ptmx device nodes (0666, root's), the fd, stdin, stdout and stderr
// links into /proc/self/fd, and the pts and shm folders; so that an
// unpacked image can be entered with a plain chroot. Entries that exist
// are kept. Commands run in the root see a tmpfs over this folder, never
// these nodes.
func (r *Root) WriteDev() error {
	if err := r.mkdirMode("/dev", 0o755); err != nil {
		return err
	}
	for _, n := range append(devNodes[:len(devNodes):len(devNodes)], diskDevNodes...) {
		if err := r.mknod(n, 0o666); err != nil {
			return err
		}
	}
	for _, l := range devLinks {
		if l[0] == "ptmx" {
			continue // a device on disk
		}
		if err := r.Symlink(l[1], "/dev/"+l[0]); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	for _, d := range diskDevDirs {
		if err := r.mkdirMode("/dev/"+d, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// mknod creates the character device n in /dev with exactly mode, owned
// by root, unless the name exists.
func (r *Root) mknod(n devNode, mode uint32) error {
	return r.atParent("creating device", "/dev/"+n.name, func(dirfd int, base string) error {
		err := unix.Mknodat(dirfd, base, unix.S_IFCHR|mode, int(unix.Mkdev(n.major, n.minor)))
		if err == unix.EEXIST {
			return nil
		}
		if err != nil {
			return err
		}
		if err := unix.Fchownat(dirfd, base, 0, 0, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
		return unix.Fchmodat(dirfd, base, mode, 0)
	})
}
