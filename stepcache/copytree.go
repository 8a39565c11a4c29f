package stepcache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// applyLayer copies the layer folder src onto the tree dst as overlayfs
// would show it stacked: a whiteout (a 0:0 character device) removes what
// is below, an opaque folder hides what is below, everything else replaces
// what is there. Files are reflinked where the filesystem can, copied
// otherwise; hard links within the layer stay links.
func applyLayer(src, dst string) error {
	links := map[[2]uint64]string{}
	var dirs []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, rel)
		}
		return applyEntry(p, target, fi, links)
	})
	if err != nil {
		return fmt.Errorf("copying layer %s: %w", src, err)
	}
	// Folders' times last: filling a folder changes its mtime.
	for i := len(dirs) - 1; i >= 0; i-- {
		fi, err := os.Lstat(filepath.Join(src, dirs[i]))
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		setTimes(filepath.Join(dst, dirs[i]), timeOf(st.Mtim))
	}
	return nil
}

func applyEntry(p, target string, fi fs.FileInfo, links map[[2]uint64]string) error {
	st := fi.Sys().(*syscall.Stat_t)
	switch {
	case isWhiteout(fi):
		return removeAll(target)
	case fi.IsDir():
		if isOpaque(p) {
			if err := removeAll(target); err != nil {
				return err
			}
		}
		if err := os.Mkdir(target, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		return copyMeta(p, target, st, false)
	}
	if err := removeAll(target); err != nil {
		return err
	}
	if fi.Mode().IsRegular() && st.Nlink > 1 {
		id := [2]uint64{st.Dev, st.Ino}
		if first, ok := links[id]; ok {
			return os.Link(first, target)
		}
		links[id] = target
	}
	if err := createLike(p, target, fi, st); err != nil {
		return err
	}
	return copyMeta(p, target, st, fi.Mode()&fs.ModeSymlink != 0)
}

// createLike makes target a file, link or node like p.
func createLike(p, target string, fi fs.FileInfo, st *syscall.Stat_t) error {
	switch {
	case fi.Mode().IsRegular():
		return cloneFile(p, target)
	case fi.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(p)
		if err != nil {
			return err
		}
		return os.Symlink(link, target)
	default:
		return unix.Mknod(target, st.Mode, int(st.Rdev))
	}
}

// cloneFile reflinks src to dst (FICLONE), or copies it where the
// filesystem cannot share blocks (copy_file_range through ReadFrom).
func cloneFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if unix.IoctlFileClone(int(out.Fd()), int(in.Fd())) != nil {
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}

// copyMeta gives target p's owner, mode, times and file capabilities;
// overlayfs's own xattrs stay behind.
func copyMeta(p, target string, st *syscall.Stat_t, symlink bool) error {
	if err := os.Lchown(target, int(st.Uid), int(st.Gid)); err != nil {
		return err
	}
	if !symlink {
		if err := unix.Fchmodat(unix.AT_FDCWD, target, st.Mode&0o7777, 0); err != nil {
			return err
		}
		val := make([]byte, 256)
		if n, err := unix.Lgetxattr(p, "security.capability", val); err == nil {
			if err := unix.Lsetxattr(target, "security.capability", val[:n], 0); err != nil {
				return err
			}
		}
	}
	return setTimes(target, timeOf(st.Mtim))
}

func isWhiteout(fi fs.FileInfo) bool {
	st := fi.Sys().(*syscall.Stat_t)
	return fi.Mode()&fs.ModeCharDevice != 0 && st.Rdev == 0
}

func isOpaque(p string) bool {
	val := make([]byte, 8)
	n, err := unix.Lgetxattr(p, "trusted.overlay.opaque", val)
	return err == nil && string(val[:n]) == "y"
}
