package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSymlinkEscapes plants absolute and relative symlinks in the root
// pointing at a canary folder on the host, applies steps through them, and
// checks that the host's canary is untouched while the writes land inside
// the root.
func TestSymlinkEscapes(t *testing.T) {
	env := testEnv(t)
	canary := t.TempDir()
	canaryFile := filepath.Join(canary, "canary")
	os.WriteFile(canaryFile, []byte("untouched"), 0o644)
	rootDir := env.Root.Dir()
	rel := strings.Repeat("../", 20) + strings.TrimPrefix(canary, "/")
	plant := map[string]string{
		"etc/motd":     canaryFile, // absolute link to a host file
		"srv/abs":      canary,     // absolute link to a host folder
		"var/rel":      rel,        // relative link climbing out
		"etc/relfile":  rel + "/canary",
		"etc/sysctl.d": canary, // the sysctl step's folder
	}
	for name, target := range plant {
		os.RemoveAll(filepath.Join(rootDir, name))
		if err := os.Symlink(target, filepath.Join(rootDir, name)); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(env.Dir, "f"), []byte("payload"), 0o644)
	os.MkdirAll(filepath.Join(env.Dir, "tree/sub"), 0o755)
	os.WriteFile(filepath.Join(env.Dir, "tree/sub/g"), []byte("payload"), 0o644)

	steps := []struct{ kind, src string }{
		{"file", "path = \"/etc/motd\"\ncontent = \"payload\""},
		{"file", "path = \"/etc/relfile\"\ncontent = \"payload\"\nmode = \"0600\""},
		{"file", "path = \"/srv/abs/new\"\ncontent = \"payload\""},
		{"file", "path = \"/srv/abs/canary\"\ncontent = \"payload\""},
		{"directory", "path = \"/var/rel/sub\"\nmode = \"0700\""},
		{"copy", "source = \"tree\"\ndestination = \"/srv/abs\""},
		{"copy", "source = \"f\"\ndestination = \"/var/rel/canary\""},
		{"symlink", "path = \"/var/rel/link\"\ntarget = \"/etc/passwd\""},
		{"sysctl", "values = { a = \"1\" }\nfile = \"/etc/sysctl.d/x.conf\""},
		{"remove", `paths = ["/srv/abs/canary", "/var/rel/canary"]`},
	}
	// First with the links dangling inside the root, then with their
	// targets' paths existing inside the root, where writes must land.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			os.MkdirAll(filepath.Join(rootDir, canary), 0o755)
		}
		for _, s := range steps {
			if err := applyStep(t, env, s.kind, s.src); err != nil {
				t.Logf("pass %d: %s refused: %v", pass, s.kind, err) // refusing is fine, escaping is not
			}
		}
	}
	entries, _ := os.ReadDir(canary)
	if len(entries) != 1 || entries[0].Name() != "canary" {
		t.Errorf("the host canary folder changed: %v", entries)
	}
	if data, _ := os.ReadFile(canaryFile); string(data) != "untouched" {
		t.Errorf("the host canary file now holds %q", data)
	}
	if fi, _ := os.Stat(canaryFile); fi.Mode().Perm() != 0o644 {
		t.Errorf("the host canary file's mode changed to %v", fi.Mode())
	}
	// The link /etc/motd was replaced by the file, inside the root.
	if data, err := os.ReadFile(filepath.Join(rootDir, "etc/motd")); err != nil || string(data) != "payload" {
		t.Errorf("/etc/motd in the root: %q, %v", data, err)
	}
	// Links resolve as if the root were /: the writes land at the
	// canary's path inside the root.
	if fi, err := os.Stat(filepath.Join(rootDir, canary, "sub")); err != nil || !fi.IsDir() {
		t.Errorf("directory through a relative link did not land inside the root: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(rootDir, canary, "new")); err != nil || string(data) != "payload" {
		t.Errorf("file through an absolute link did not land inside the root: %q, %v", data, err)
	}
}

// TestDefinitionEscapes checks that sources are read inside the
// definition folder only, even through a symlink there.
func TestDefinitionEscapes(t *testing.T) {
	env := testEnv(t)
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600)
	os.Symlink(outside, filepath.Join(env.Dir, "link"))
	os.Symlink(filepath.Join(outside, "secret"), filepath.Join(env.Dir, "secretlink"))
	for _, s := range []struct{ kind, src string }{
		{"file", "path = \"/x1\"\nsource = \"link/secret\""},
		{"file", "path = \"/x2\"\nsource = \"secretlink\""},
		{"file", "path = \"/x3\"\ntemplate = \"secretlink\""},
		{"copy", "source = \"link\"\ndestination = \"/x4\""},
		{"copy", "source = \"secretlink\"\ndestination = \"/x5\""},
	} {
		if err := applyStep(t, env, s.kind, s.src); err == nil {
			t.Errorf("%s %q read outside the definition folder", s.kind, s.src)
		}
	}
	for _, n := range []string{"x1", "x2", "x3", "x4/secret", "x5"} {
		if data, err := os.ReadFile(filepath.Join(env.Root.Dir(), n)); err == nil && strings.Contains(string(data), "secret") {
			t.Errorf("/%s holds the secret", n)
		}
	}
}
