package stepcache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// stamp is what tells that an entry changed: a write, chmod, chown, link
// or rename in place changes its ctime, which no program can set back;
// a replaced entry has a new inode.
type stamp struct {
	ino   uint64
	ctime syscall.Timespec
	mode  uint32
}

// snapshot records the stamp of every entry under dir.
func snapshot(dir string) (map[string]stamp, error) {
	snap := map[string]stamp{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		rel, _ := filepath.Rel(dir, p)
		snap[rel] = stamp{ino: st.Ino, ctime: st.Ctim, mode: st.Mode}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("recording %s: %w", dir, err)
	}
	return snap, nil
}

// writeDiff writes into upper, as an overlayfs upper folder, what changed
// in dir since before was taken: changed and new entries whole (their
// parents with them), a whiteout for each removed entry, and an opaque
// folder for a folder that was replaced.
func writeDiff(dir string, before map[string]stamp, upper string) error {
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		seen[rel] = true
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		old, had := before[rel]
		if had && old == (stamp{ino: st.Ino, ctime: st.Ctim, mode: st.Mode}) {
			return nil
		}
		if err := copyUp(dir, rel, upper); err != nil {
			return err
		}
		if fi.IsDir() && had && old.ino != st.Ino && rel != "." {
			return unix.Lsetxattr(filepath.Join(upper, rel), "trusted.overlay.opaque", []byte("y"), 0)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording the changes in %s: %w", dir, err)
	}
	return writeWhiteouts(before, seen, upper, dir)
}

// copyUp copies the entry rel of dir into upper, with every parent folder
// it lacks there (as overlayfs copies parents up), keeping their metadata.
func copyUp(dir, rel, upper string) error {
	parts := strings.Split(rel, string(filepath.Separator))
	for i := range parts {
		sub := filepath.Join(parts[:i+1]...)
		if i < len(parts)-1 {
			if _, err := os.Lstat(filepath.Join(upper, sub)); err == nil {
				continue
			}
		}
		if err := copyOne(filepath.Join(dir, sub), filepath.Join(upper, sub)); err != nil {
			return err
		}
	}
	return nil
}

// copyOne copies one entry (a folder without its content).
func copyOne(src, dst string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	st := fi.Sys().(*syscall.Stat_t)
	if fi.IsDir() {
		if err := os.Mkdir(dst, 0o700); err != nil && !os.IsExist(err) {
			return err
		}
	} else {
		if err := removeAll(dst); err != nil {
			return err
		}
		if err := createLike(src, dst, fi, st); err != nil {
			return err
		}
	}
	return copyMeta(src, dst, st, fi.Mode()&fs.ModeSymlink != 0)
}

// writeWhiteouts marks in upper each entry of before that is gone, except
// under a folder that is itself gone or was replaced.
func writeWhiteouts(before map[string]stamp, seen map[string]bool, upper, dir string) error {
	for rel := range before {
		if seen[rel] || goneAbove(rel, seen, upper) {
			continue
		}
		if err := copyParents(dir, rel, upper); err != nil {
			return err
		}
		if err := unix.Mknod(filepath.Join(upper, rel), unix.S_IFCHR, 0); err != nil {
			return fmt.Errorf("marking %s removed: %w", rel, err)
		}
	}
	return nil
}

// goneAbove reports whether a parent of rel is gone too (its whiteout
// covers rel) or is an opaque folder of upper (it hides rel).
func goneAbove(rel string, seen map[string]bool, upper string) bool {
	for p := filepath.Dir(rel); p != "." && p != "/"; p = filepath.Dir(p) {
		if !seen[p] || isOpaque(filepath.Join(upper, p)) {
			return true
		}
	}
	return false
}

func copyParents(dir, rel, upper string) error {
	parent := filepath.Dir(rel)
	if parent == "." {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(upper, parent)); err == nil {
		return nil
	}
	return copyUp(dir, parent, upper)
}

func timeOf(ts syscall.Timespec) time.Time { return time.Unix(ts.Unix()) }
