package provision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAptSourceLocalRepo adds a signed local repository with an
// apt_source step (the key embedded in Signed-By) and installs from it
// with a packages step, offline: apt-get update must verify the InRelease
// signature against exactly that key.
func TestAptSourceLocalRepo(t *testing.T) {
	env := testEnv(t)
	rootDir := env.Root.Dir()
	key := localRepo(t, rootDir, "chrootbuild-hello")
	// Only the local repository: the test stays offline.
	others, _ := filepath.Glob(filepath.Join(rootDir, "etc/apt/sources.list.d/*"))
	for _, f := range append(others, filepath.Join(rootDir, "etc/apt/sources.list")) {
		os.Remove(f)
	}

	hcl := "name = \"local\"\nuris = [\"file:/srv/repo\"]\nsuites = [\"./\"]\nsigned_by = <<EOT\n" + key + "EOT\n"
	mustApply(t, env, "apt_source", hcl)
	mustApply(t, env, "packages", `install = ["chrootbuild-hello"]`)
	data, err := os.ReadFile(filepath.Join(rootDir, "usr/share/chrootbuild-hello/hello"))
	if err != nil || string(data) != "hello from the local repo\n" {
		t.Errorf("installed file: %q, %v", data, err)
	}

	// The lists are fresh now; a source added later makes them stale. A
	// source signed by another key than its Signed-By names is refused.
	if stale, err := aptListsStale(context.Background(), env); err != nil || stale {
		t.Errorf("after an update, lists stale = %v (%v)", stale, err)
	}
	other := t.TempDir()
	otherKey := localRepo(t, other, "chrootbuild-hello2")
	os.Rename(filepath.Join(other, "srv/repo"), filepath.Join(rootDir, "srv/repo2"))
	mustApply(t, env, "apt_source", "name = \"wrongkey\"\nuris = [\"file:/srv/repo2\"]\nsuites = [\"./\"]\nsigned_by = <<EOT\n"+key+"EOT\n")
	if stale, err := aptListsStale(context.Background(), env); err != nil || !stale {
		t.Errorf("after adding a source, lists stale = %v (%v)", stale, err)
	}
	err = applyStep(t, env, "packages", `install = ["chrootbuild-hello2"]`)
	if err == nil || !strings.Contains(err.Error(), "repo2") {
		t.Errorf("a repository signed by another key was accepted: %v", err)
	}
	t.Logf("wrong key: %v", err)
	mustApply(t, env, "apt_source", "name = \"wrongkey\"\nuris = [\"file:/srv/repo2\"]\nsuites = [\"./\"]\nsigned_by = <<EOT\n"+otherKey+"EOT\n")
	mustApply(t, env, "packages", `install = ["chrootbuild-hello2"]`)
	if _, err := os.Stat(filepath.Join(rootDir, "usr/share/chrootbuild-hello2/hello")); err != nil {
		t.Errorf("chrootbuild-hello2 not installed: %v", err)
	}

	// A repository that cannot be fetched (apt only warns about a name
	// that does not resolve) fails the step, naming it.
	mustApply(t, env, "apt_source", "name = \"gone\"\nuris = [\"http://chrootbuild.invalid/debian\"]\nsuites = [\"bookworm\"]\ncomponents = [\"main\"]")
	err = applyStep(t, env, "packages", `install = ["chrootbuild-hello"]`)
	if err == nil || !strings.Contains(err.Error(), "chrootbuild.invalid") {
		t.Errorf("an unreachable repository: error %v does not name it", err)
	}
	t.Logf("unreachable: %v", err)
}
