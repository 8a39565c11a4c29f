// Package canary gives tests a host folder that nothing may touch: tests
// plant symlinks to it inside an image root, run the code under test over
// the root, and check that the folder (and the file in it) is exactly as
// it was.
package canary

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Canary is a host folder holding one file, with a snapshot of both.
type Canary struct {
	Dir  string // the folder, outside any root
	File string // a regular file in Dir
	was  string
}

// New makes a canary in a fresh temporary folder.
func New(t testing.TB) *Canary {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "canary")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &Canary{Dir: dir, File: filepath.Join(dir, "secret")}
	if err := os.WriteFile(c.File, []byte("host data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.was = Snapshot(dir)
	return c
}

// Plant makes each name (relative to dir) a symlink to target, creating
// the parents: "" as target means the canary folder.
func (c *Canary) Plant(t testing.TB, dir string, links map[string]string) {
	t.Helper()
	for name, target := range links {
		if target == "" {
			target = c.Dir
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

// Check fails the test when anything in the canary folder changed: a
// file added, removed or written, a mode, owner or time changed.
func (c *Canary) Check(t testing.TB) {
	t.Helper()
	if now := Snapshot(c.Dir); now != c.was {
		t.Errorf("the host canary %s changed:\nbefore:\n%s\nafter:\n%s", c.Dir, c.was, now)
	}
}

// Snapshot describes everything about a folder that an escape could
// change: each entry's path, mode, owner, modification time and content.
func Snapshot(dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi fs.FileInfo, err error) error {
		if err != nil {
			fmt.Fprintf(&b, "%s: %v\n", p, err)
			return nil
		}
		st := fi.Sys().(*syscall.Stat_t)
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s %v %d:%d %d %q\n", p, fi.Mode(), st.Uid, st.Gid, fi.ModTime().UnixNano(), data)
		return nil
	})
	return b.String()
}
