package chroot

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	canarypkg "github.com/chrootbuild/chrootbuild/internal/canary"
)

// escapeFixture builds a root deep in a temporary folder with a canary
// folder beside it and symlinks in the root that would lead to the canary
// if resolved on the host: absolute, relative, and relative from a
// subfolder. It returns the root and a snapshot function of the canary.
func escapeFixture(t *testing.T) (*Root, func() string) {
	t.Helper()
	base := t.TempDir()
	canary := filepath.Join(base, "canary")
	dir := filepath.Join(base, "a", "b", "root")
	must(t, os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	must(t, os.MkdirAll(canary, 0o700))
	must(t, os.WriteFile(filepath.Join(canary, "secret"), []byte(canaryContent), 0o600))
	must(t, os.WriteFile(filepath.Join(canary, canaryEntry), nil, 0o600))
	links := map[string]string{
		"abs":       canary,
		"absfile":   filepath.Join(canary, "secret"),
		"rel":       "../../../canary",
		"relfile":   "../../../canary/secret",
		"etc/deep":  "../../../../canary",
		"etc/dfile": "../../../../canary/secret",
	}
	for name, target := range links {
		must(t, os.Symlink(target, filepath.Join(dir, name)))
	}
	r, err := Open(dir)
	must(t, err)
	return r, func() string { return canarypkg.Snapshot(canary) }
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// canaryContent and canaryEntry appear nowhere but in the canary folder:
// reading either through the root is an escape.
const (
	canaryContent = "canary-content-5e2d"
	canaryEntry   = "canary-entry-91c7"
)

// leaked reports whether what an operation read came from the canary.
func leaked(read []byte) bool {
	s := string(read)
	return strings.Contains(s, canaryContent) || strings.Contains(s, canaryEntry) || s == fmt.Sprint(len(canaryContent))
}

// escapeOps are the operations tried through each symlink: dir is a link
// to the canary folder, file a link to the canary file. They return what
// they read, if anything.
var escapeOps = map[string]func(r *Root, dir, file string) ([]byte, error){
	"WriteFile into": func(r *Root, d, f string) ([]byte, error) {
		return nil, r.WriteFile(d+"/secret", []byte("pwned"), 0o644)
	},
	"WriteFile over":  func(r *Root, d, f string) ([]byte, error) { return nil, r.WriteFile(f, []byte("pwned"), 0o644) },
	"OpenFile create": func(r *Root, d, f string) ([]byte, error) { return nil, openWrite(r, f) },
	"OpenFile trunc":  func(r *Root, d, f string) ([]byte, error) { return nil, openWrite(r, d+"/secret") },
	"MkdirAll":        func(r *Root, d, f string) ([]byte, error) { return nil, r.MkdirAll(d+"/new/sub", 0o755) },
	"Chmod into":      func(r *Root, d, f string) ([]byte, error) { return nil, r.Chmod(d+"/secret", 0o777) },
	"Chmod link":      func(r *Root, d, f string) ([]byte, error) { return nil, r.Chmod(f, 0o777) },
	"Chmod dir link":  func(r *Root, d, f string) ([]byte, error) { return nil, r.Chmod(d, 0o777) },
	"Lchown into":     func(r *Root, d, f string) ([]byte, error) { return nil, r.Lchown(d+"/secret", 4321, 4321) },
	"Lchown link":     func(r *Root, d, f string) ([]byte, error) { return nil, r.Lchown(f, 4321, 4321) },
	"LinkIn into": func(r *Root, d, f string) ([]byte, error) {
		return nil, r.LinkIn("/proc/self/exe", d+"/planted")
	},
	"LinkIn over":    func(r *Root, d, f string) ([]byte, error) { return nil, r.LinkIn("/proc/self/exe", f) },
	"Symlink into":   func(r *Root, d, f string) ([]byte, error) { return nil, r.Symlink("/x", d+"/planted") },
	"RemoveAll into": func(r *Root, d, f string) ([]byte, error) { return nil, r.RemoveAll(d + "/secret") },
	"RemoveAll link": func(r *Root, d, f string) ([]byte, error) { return nil, r.RemoveAll(d) },
	"Remove into":    func(r *Root, d, f string) ([]byte, error) { return nil, r.Remove(d + "/secret") },
	"Rename out":     func(r *Root, d, f string) ([]byte, error) { return nil, r.Rename(d+"/secret", "/stolen") },
	"Rename in":      func(r *Root, d, f string) ([]byte, error) { return nil, r.Rename("/etc", d+"/secret") },
	"ReadFile into":  func(r *Root, d, f string) ([]byte, error) { return r.ReadFile(d + "/secret") },
	"ReadFile link":  func(r *Root, d, f string) ([]byte, error) { return r.ReadFile(f) },
	"Readlink into":  func(r *Root, d, f string) ([]byte, error) { s, err := r.Readlink(d + "/secret"); return []byte(s), err },
	"ReadDir":        func(r *Root, d, f string) ([]byte, error) { return names(r.ReadDir(d)) },
	"Stat":           func(r *Root, d, f string) ([]byte, error) { fi, err := r.Stat(f); return statName(fi), err },
	"Lstat into": func(r *Root, d, f string) ([]byte, error) {
		fi, err := r.Lstat(d + "/secret")
		return statName(fi), err
	},
	"Glob": func(r *Root, d, f string) ([]byte, error) {
		m, err := r.Glob(d + "/*")
		return []byte(strings.Join(m, " ")), err
	},
}

func openWrite(r *Root, name string) error {
	f, err := r.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err == nil {
		f.WriteString("pwned")
		f.Close()
	}
	return err
}

func names(ents []fs.DirEntry, err error) ([]byte, error) {
	var s []string
	for _, e := range ents {
		s = append(s, e.Name())
	}
	return []byte(strings.Join(s, " ")), err
}

func statName(fi fs.FileInfo) []byte {
	if fi == nil {
		return nil
	}
	return []byte(fmt.Sprint(fi.Size()))
}

func TestSymlinkEscapes(t *testing.T) {
	if os.Geteuid() != 0 {
		delete(escapeOps, "Lchown into") // needs root; covered in CI
		delete(escapeOps, "Lchown link")
	}
	pairs := [][2]string{{"/abs", "/absfile"}, {"/rel", "/relfile"}, {"/etc/deep", "/etc/dfile"}}
	for op, fn := range escapeOps {
		for _, p := range pairs {
			t.Run(op+" "+p[0], func(t *testing.T) {
				r, snap := escapeFixture(t)
				before := snap()
				read, _ := fn(r, p[0], p[1])
				if leaked(read) {
					t.Errorf("read the canary through the root: %q", read)
				}
				if after := snap(); after != before {
					t.Errorf("canary changed:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// TestSymlinksResolveInsideRoot checks the other half: the same links lead
// to the matching place inside the root, as if the root were "/".
func TestSymlinksResolveInsideRoot(t *testing.T) {
	r, _ := escapeFixture(t)
	base := filepath.Dir(filepath.Dir(filepath.Dir(r.Dir())))
	decoy := filepath.Join(base, "canary")
	must(t, r.MkdirAll(decoy, 0o755))
	must(t, r.WriteFile(decoy+"/secret", []byte("decoy"), 0o644))
	got, err := r.ReadFile("/absfile")
	if err != nil || string(got) != "decoy" {
		t.Fatalf("ReadFile(/absfile) = %q, %v; want the in-root decoy", got, err)
	}
	must(t, r.WriteFile("/abs/new", []byte("x"), 0o644))
	if _, err := os.Stat(filepath.Join(r.Dir(), decoy, "new")); err != nil {
		t.Fatalf("WriteFile through /abs did not land in the root: %v", err)
	}
	// A relative link climbing above / stops at the root: /rel is /canary.
	must(t, r.MkdirAll("/canary", 0o755))
	must(t, r.WriteFile("/rel/x", []byte("x"), 0o644))
	if _, err := os.Stat(filepath.Join(r.Dir(), "canary", "x")); err != nil {
		t.Fatalf("WriteFile through /rel did not land in the root: %v", err)
	}
}
