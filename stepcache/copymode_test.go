package stepcache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// change is one step's work on a root, the same in both modes.
func change(t *testing.T, root string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(root, "etc/new"), []byte("new"), 0o640))
	must(os.Remove(filepath.Join(root, "etc/b")))
	must(os.Chmod(filepath.Join(root, "etc/a"), 0o600))
	must(os.RemoveAll(filepath.Join(root, "usr/share/doc")))
	must(os.MkdirAll(filepath.Join(root, "usr/share/doc"), 0o755))
	must(os.WriteFile(filepath.Join(root, "usr/share/doc/only"), []byte("only"), 0o644))
	must(os.Rename(filepath.Join(root, "var/old"), filepath.Join(root, "var/renamed")))
	must(os.RemoveAll(filepath.Join(root, "opt/tree")))
	must(os.Symlink("etc/new", filepath.Join(root, "link")))
	must(os.Lchown(filepath.Join(root, "srv"), 1, 1))
}

// TestCopyModeMatchesOverlay runs the same two steps on the same base in
// overlay mode and in copy mode, then mounts both caches' chains through
// overlayfs and compares the trees: the copied layers mean what overlayfs
// layers mean. The copy mode's own tree must match too.
func TestCopyModeMatchesOverlay(t *testing.T) {
	testenv.RequireRoot(t)
	base := NewKey("", []byte("base"))
	files := map[string]string{"etc/a": "A", "etc/b": "B", "usr/share/doc/x/y": "doc", "var/old": "old",
		"opt/tree/deep/file": "deep", "srv/keep": "keep"}
	views := map[string]string{}
	for _, mode := range []string{ModeOverlay, ModeCopy} {
		c, err := Open(t.TempDir(), 0)
		if err != nil {
			t.Fatal(err)
		}
		c.mode = mode
		commitBase(t, c, base, files)
		chain := []Key{base}
		for i := 0; i < 2; i++ {
			k := NewKey(chain[len(chain)-1], []byte(fmt.Sprint("step", i)))
			tx, err := c.Begin(k, chain[len(chain)-1], "step")
			if err != nil {
				t.Fatal(err)
			}
			m, err := c.MountLayers(filepath.Join(t.TempDir()), chain, tx.Dir())
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				change(t, m.Target)
			} else {
				os.WriteFile(filepath.Join(m.Target, "etc/second"), []byte("2"), 0o644)
			}
			if err := m.Unmount(); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			chain = append(chain, k)
		}
		if mode == ModeCopy {
			views["copy tree"] = listTree(t, c.live.dir)
		}
		c.mode = ModeOverlay // read both caches' layers through overlayfs
		m, err := c.MountLayers(t.TempDir(), chain, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		views[mode] = listTree(t, m.Target)
		m.Unmount()
		c.Close()
	}
	if views[ModeOverlay] != views[ModeCopy] || views[ModeOverlay] != views["copy tree"] {
		t.Fatalf("overlay layers show\n%s\ncopied layers show\n%s\nthe copied tree is\n%s",
			views[ModeOverlay], views[ModeCopy], views["copy tree"])
	}
	if !strings.Contains(views[ModeCopy], "usr/share/doc/only") || strings.Contains(views[ModeCopy], "doc/x") {
		t.Fatalf("the replaced folder is wrong:\n%s", views[ModeCopy])
	}
}

// listTree describes every entry under dir: path, type and mode, owner,
// content or link target.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		fi, _ := d.Info()
		st := fi.Sys().(*syscall.Stat_t)
		what := ""
		switch {
		case fi.Mode().IsRegular():
			b, _ := os.ReadFile(p)
			what = string(b)
		case fi.Mode()&fs.ModeSymlink != 0:
			what, _ = os.Readlink(p)
		}
		if rel != "." {
			lines = append(lines, fmt.Sprintf("%s %v %d:%d %q", rel, fi.Mode(), st.Uid, st.Gid, what))
		}
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestRelativeFolderProbesOverlay opens a cache through a relative path:
// overlayfs must still be found usable, since mounts are made from inside
// the cache's folders (a relative cache folder once fell back to copy mode
// silently).
func TestRelativeFolderProbesOverlay(t *testing.T) {
	testenv.RequireRoot(t)
	t.Chdir(t.TempDir())
	c, err := Open("cache", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.probeOverlay(); err != nil {
		t.Fatalf("overlayfs probe from a relative cache folder: %v", err)
	}
	if m := c.Mode(); m != ModeOverlay {
		t.Errorf("mode %s from a relative cache folder, want %s", m, ModeOverlay)
	}
}
