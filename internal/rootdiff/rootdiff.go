// Package rootdiff compares two root file systems entry by entry: type,
// mode, owner, size, content, symlink target and device numbers, never
// timestamps. The equivalence tests of the install paths use it.
package rootdiff

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

// entry is what is compared of one path.
type entry struct {
	mode     fs.FileMode
	uid, gid uint32
	size     int64
	rdev     uint64
	link     string
	sum      [32]byte
}

// Compare lists the differences between the trees a and b, one line per
// path, skipping the paths (relative, like "etc/machine-id") in ignore.
func Compare(a, b string, ignore []string) ([]string, error) {
	skip := map[string]bool{}
	for _, p := range ignore {
		skip[p] = true
	}
	ea, err := walk(a, skip)
	if err != nil {
		return nil, err
	}
	eb, err := walk(b, skip)
	if err != nil {
		return nil, err
	}
	var diffs []string
	for p, x := range ea {
		y, ok := eb[p]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: only in %s", p, a))
		case x != y:
			diffs = append(diffs, fmt.Sprintf("%s: %s vs %s", p, describe(x), describe(y)))
		}
	}
	for p := range eb {
		if _, ok := ea[p]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: only in %s", p, b))
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}

func describe(e entry) string {
	return fmt.Sprintf("%v %d:%d size %d rdev %d link %q sha256 %x", e.mode, e.uid, e.gid, e.size, e.rdev, e.link, e.sum[:6])
}

// walk records every entry under dir but the skipped ones (and what is
// under a skipped folder).
func walk(dir string, skip map[string]bool) (map[string]entry, error) {
	out := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if skip[rel] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		e, err := read(p)
		if err != nil {
			return err
		}
		out[rel] = e
		return nil
	})
	return out, err
}

func read(p string) (entry, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return entry{}, err
	}
	st := fi.Sys().(*syscall.Stat_t)
	e := entry{mode: fi.Mode(), uid: st.Uid, gid: st.Gid, rdev: st.Rdev}
	switch {
	case fi.Mode().IsRegular():
		e.size = fi.Size()
		e.sum, err = hashFile(p)
	case fi.Mode()&fs.ModeSymlink != 0:
		e.link, err = os.Readlink(p)
	}
	return e, err
}

func hashFile(p string) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(p)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// Equal reports whether two files have the same bytes.
func Equal(a, b string) (bool, error) {
	x, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	y, err := os.ReadFile(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}
