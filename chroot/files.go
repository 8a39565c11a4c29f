package chroot

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"

	"golang.org/x/sys/unix"
)

// ReadFile reads a file, following symlinks inside the root.
func (r *Root) ReadFile(name string) ([]byte, error) {
	name = clean(name)
	fd, err := r.open(name, unix.O_RDONLY, 0)
	if err != nil {
		return nil, pathErr("reading", name, err)
	}
	f := r.fileFromFD(fd, name)
	defer f.Close()
	data, err := io.ReadAll(f)
	return data, pathErr("reading", name, err)
}

// WriteFile writes data to name atomically (temporary file and rename in
// the same folder), creating or replacing it with perm. A regular file it
// replaces keeps its owner and group (/etc/shadow stays root:shadow); a
// symlink at name is replaced, never written through.
func (r *Root) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return r.atParent("writing", name, func(dirfd int, base string) error {
		if base == "." {
			return unix.EISDIR
		}
		tmp := "." + base + ".chrootbuild-" + randomSuffix()
		fd, err := unix.Openat(dirfd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err != nil {
			return err
		}
		f := os.NewFile(uintptr(fd), tmp)
		_, err = f.Write(data)
		if err == nil {
			err = unix.Fchmod(fd, unixMode(perm))
		}
		var old unix.Stat_t
		if err == nil && unix.Fstatat(dirfd, base, &old, unix.AT_SYMLINK_NOFOLLOW) == nil && old.Mode&unix.S_IFMT == unix.S_IFREG {
			err = unix.Fchown(fd, int(old.Uid), int(old.Gid)) // as os.WriteFile would keep it
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = unix.Renameat(dirfd, tmp, dirfd, base)
		}
		if err != nil {
			unix.Unlinkat(dirfd, tmp, 0)
		}
		return err
	})
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// OpenFile opens name like os.OpenFile; every symlink on the way, the last
// one included, is resolved inside the root.
func (r *Root) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	name = clean(name)
	fd, err := r.open(name, uint64(flag), unixMode(perm))
	if err != nil {
		return nil, pathErr("opening", name, err)
	}
	return r.fileFromFD(fd, name), nil
}

// MkdirAll creates a folder and its parents (perm is subject to the umask,
// as with os.MkdirAll). Symlinks to folders inside the root are followed.
func (r *Root) MkdirAll(name string, perm fs.FileMode) error {
	name = clean(name)
	fd, err := r.open(name, unix.O_PATH|unix.O_DIRECTORY, 0)
	if err == nil {
		unix.Close(fd)
		return nil
	}
	if !errors.Is(err, unix.ENOENT) {
		return pathErr("creating folder", name, err)
	}
	if err := r.MkdirAll(path.Dir(name), perm); err != nil {
		return err
	}
	return r.atParent("creating folder", name, func(dirfd int, base string) error {
		err := unix.Mkdirat(dirfd, base, unixMode(perm))
		if err == unix.EEXIST {
			// Lost a race, or a dangling symlink: fine only if it is a folder now.
			fd, serr := r.open(name, unix.O_PATH|unix.O_DIRECTORY, 0)
			if serr != nil {
				return notAFolder(dirfd, base, err)
			}
			unix.Close(fd)
			return nil
		}
		return err
	})
}

// ReadDir lists a folder, sorted by name. Info on an entry describes it
// through the root, like Lstat.
func (r *Root) ReadDir(name string) ([]fs.DirEntry, error) {
	name = clean(name)
	fd, err := r.open(name, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		return nil, pathErr("listing", name, err)
	}
	f := r.fileFromFD(fd, name)
	defer f.Close()
	list, err := f.ReadDir(-1)
	if err != nil {
		return nil, pathErr("listing", name, err)
	}
	out := make([]fs.DirEntry, len(list))
	for i, e := range list {
		out[i] = dirEntry{DirEntry: e, root: r, path: path.Join(name, e.Name())}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// dirEntry replaces os's Info, which would lstat a host path, with one
// resolved inside the root.
type dirEntry struct {
	fs.DirEntry
	root *Root
	path string
}

func (d dirEntry) Info() (fs.FileInfo, error) { return d.root.Lstat(d.path) }

// Remove removes a file, symlink or empty folder.
func (r *Root) Remove(name string) error {
	return r.atParent("removing", name, func(dirfd int, base string) error {
		err := unix.Unlinkat(dirfd, base, 0)
		if err == unix.EISDIR {
			err = unix.Unlinkat(dirfd, base, unix.AT_REMOVEDIR)
		}
		return err
	})
}

// Rename renames oldname to newname, both inside the root; neither final
// component is followed.
func (r *Root) Rename(oldname, newname string) error {
	oldname, newname = clean(oldname), clean(newname)
	olddir, oldbase, err := r.parent(oldname)
	if err == nil {
		defer unix.Close(olddir)
		var newdir int
		var newbase string
		newdir, newbase, err = r.parent(newname)
		if err == nil {
			defer unix.Close(newdir)
			err = unix.Renameat(olddir, oldbase, newdir, newbase)
		}
	}
	if err != nil {
		return fmt.Errorf("renaming %s to %s: %w", oldname, newname, err)
	}
	return nil
}

// notAFolder explains why base in dirfd, which exists, cannot be used as
// a folder: a symlink gets its target named (resolved inside the root, it
// leads to no folder), anything else keeps err.
func notAFolder(dirfd int, base string, err error) error {
	buf := make([]byte, 4096)
	n, lerr := unix.Readlinkat(dirfd, base, buf)
	if lerr != nil {
		return err
	}
	return fmt.Errorf("is a symlink to %q, which inside the root is no folder", buf[:n])
}
