package imagediff

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/chrootbuild/chrootbuild/dpkg"
)

// openRoot lists every entry of the root folder dir and reads its dpkg
// database, if it has one. Contents are read later, only for the files
// whose content must be compared.
func openRoot(ctx context.Context, dir string) (*Image, error) {
	img := &Image{Path: dir, Kind: KindRoot, Files: map[string]*File{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		f, err := statFile(p)
		if err != nil {
			return err
		}
		img.Files[filepath.Clean("/"+rel)] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	pkgs, err := dpkg.ReadRoot(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		img.Packages = packageIndex(dpkgEntries(pkgs))
	}
	return img, nil
}

// statFile describes the entry at p without following a symlink.
func statFile(p string) (*File, error) {
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		return nil, fmt.Errorf("reading %s: %w", p, err)
	}
	f := &File{Mode: st.Mode & 0o7777, UID: int(st.Uid), GID: int(st.Gid)}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		f.Type, f.Size, f.host = "file", st.Size, p
	case unix.S_IFDIR:
		f.Type = "dir"
	case unix.S_IFLNK:
		f.Type = "symlink"
		target, err := os.Readlink(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		f.Link = target
	case unix.S_IFCHR, unix.S_IFBLK:
		f.Type = map[bool]string{true: "char", false: "block"}[st.Mode&unix.S_IFMT == unix.S_IFCHR]
		f.Dev = fmt.Sprintf("%d,%d", unix.Major(st.Rdev), unix.Minor(st.Rdev))
	case unix.S_IFIFO:
		f.Type = "fifo"
	default:
		f.Type = "socket"
	}
	x, err := readXattrs(p)
	if err != nil {
		return nil, fmt.Errorf("reading the extended attributes of %s: %w", p, err)
	}
	f.Xattrs = x
	return f, nil
}
