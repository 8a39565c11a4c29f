package hclfmt

import (
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

func touch(t *testing.T, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFiles(t *testing.T) {
	d := t.TempDir()
	for _, n := range []string{"b.hcl", "a.hcl", "notes.txt", "sub/c.hcl", ".git/d.hcl", "sub/deeper/e.hcl"} {
		touch(t, filepath.Join(d, n))
	}
	if err := os.Symlink("a.hcl", filepath.Join(d, "link.hcl")); err != nil {
		t.Fatal(err)
	}
	j := func(names ...string) []string {
		for i, n := range names {
			names[i] = filepath.Join(d, n)
		}
		return names
	}
	got, err := Files([]string{d}, false)
	if want := j("a.hcl", "b.hcl", "link.hcl"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("folder: %v, %v; want %v", got, err, want)
	}
	got, err = Files([]string{d, filepath.Join(d, "notes.txt"), filepath.Join(d, "a.hcl")}, true)
	want := j("a.hcl", "b.hcl", "link.hcl", "sub/c.hcl", "sub/deeper/e.hcl", "notes.txt")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("recursive: %v, %v; want %v", got, err, want)
	}
	if _, err := Files([]string{filepath.Join(d, "missing")}, false); err == nil {
		t.Error("a missing path gave no error")
	}
}

// TestWriteFileKeepsModeOwnerAndLink: the rewritten file keeps its mode
// and owner, and a link to it stays a link.
func TestWriteFileKeepsModeOwnerAndLink(t *testing.T) {
	d := t.TempDir()
	target := filepath.Join(d, "real.hcl")
	touch(t, target)
	if err := os.Chmod(target, 0o600); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(target, 1234, 5678); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(d, "link.hcl")
	if err := os.Symlink("real.hcl", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("b = 2\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(target); string(got) != "b = 2\n" {
		t.Errorf("target holds %q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	fi, err := os.Stat(target)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if os.Geteuid() == 0 && (st.Uid != 1234 || st.Gid != 5678) {
		t.Errorf("owner %d:%d, want 1234:5678", st.Uid, st.Gid)
	}
	if left, _ := filepath.Glob(filepath.Join(d, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
