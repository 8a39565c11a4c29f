package provision

import (
	"os"
	"path/filepath"
	"testing"
)

// testEscapes plants symlinks in the root that lead to a host folder, by
// absolute and by relative path, and checks that the user and cleanup
// steps leave the host folder alone.
func testEscapes(t *testing.T, env *Env) {
	host := t.TempDir()
	canary := filepath.Join(host, "canary")
	if err := os.WriteFile(canary, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := env.Root.Dir()
	rel, err := filepath.Rel(filepath.Join(dir, "var/log"), canary)
	if err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"home/eve":           host,
		"var/log/abs.log":    canary,
		"var/log/rel.log":    rel,
		"var/log/hostdir":    host,
		"root/.bash_history": canary,
		"etc/machine-id":     canary,
	} {
		os.Remove(filepath.Join(dir, link))
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	// The root's own folder of that name, where the links lead when
	// resolved inside the root.
	if err := os.MkdirAll(filepath.Join(dir, host), 0o755); err != nil {
		t.Fatal(err)
	}
	mustApply(t, env, "user", `name = "eve"
authorized_keys = ["`+testKey+`"]`)
	mustApply(t, env, "cleanup", ``)
	if data, err := os.ReadFile(canary); err != nil || string(data) != "precious\n" {
		t.Errorf("the host canary now holds %q (%v)", data, err)
	}
	entries, _ := os.ReadDir(host)
	if len(entries) != 1 {
		t.Errorf("the host folder got new entries: %v", entries)
	}
	// The key went where the link leads inside the root.
	if !existsInRoot(env, filepath.Join(host, ".ssh/authorized_keys")) {
		t.Errorf("eve's key is not at %s inside the root", filepath.Join(host, ".ssh/authorized_keys"))
	}
}
