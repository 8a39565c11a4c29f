package pack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// entry is one file of the root met by walk.
type entry struct {
	Name   string      // archive name: "." for the root, else "./a/b"
	Path   string      // host path
	Stat   unix.Stat_t // lstat of Path
	Xattrs []xattr     // sorted by name
	Link   string      // symlink target
}

// walk calls fn for root and everything below it in a fixed order: a
// folder before its contents, names sorted bytewise, depth first. It is the
// order every archive writer uses, which makes archives reproducible.
func walk(ctx context.Context, root string, fn func(*entry) error) error {
	x := &xattrReader{}
	return walkDir(ctx, x, root, ".", fn)
}

func walkDir(ctx context.Context, x *xattrReader, path, name string, fn func(*entry) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e := &entry{Name: name, Path: path}
	if err := readEntry(x, e); err != nil {
		return err
	}
	if err := fn(e); err != nil {
		return err
	}
	if e.Stat.Mode&unix.S_IFMT != unix.S_IFDIR {
		return nil
	}
	names, err := readNames(path)
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := walkDir(ctx, x, filepath.Join(path, n), name+"/"+n, fn); err != nil {
			return err
		}
	}
	return nil
}

func readEntry(x *xattrReader, e *entry) error {
	if err := unix.Lstat(e.Path, &e.Stat); err != nil {
		return fmt.Errorf("reading %s: %w", e.Path, err)
	}
	var err error
	if e.Xattrs, err = x.read(e.Path); err != nil {
		return fmt.Errorf("reading extended attributes of %s: %w", e.Path, err)
	}
	if e.Stat.Mode&unix.S_IFMT == unix.S_IFLNK {
		if e.Link, err = os.Readlink(e.Path); err != nil {
			return fmt.Errorf("reading %s: %w", e.Path, err)
		}
	}
	return nil
}

// readNames returns the names in a folder, sorted bytewise.
func readNames(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", path, err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", path, err)
	}
	sort.Strings(names)
	return names, nil
}

// isHidden reports whether name is an archive name's own base "." entry.
func archiveName(name string, dir bool) string {
	if name == "." {
		return "./"
	}
	if dir && !strings.HasSuffix(name, "/") {
		return name + "/"
	}
	return name
}
