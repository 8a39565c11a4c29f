package provision

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileKinds applies file, directory, symlink, copy and remove to one
// real root and checks contents, modes and owners.
func TestFileKinds(t *testing.T) {
	env := testEnv(t)
	def := env.Dir
	os.WriteFile(filepath.Join(def, "motd"), []byte("from source\n"), 0o600)
	os.WriteFile(filepath.Join(def, "greet.tpl"), []byte("Hello ${who}\n"), 0o600)

	mustApply(t, env, "file", "path = \"/etc/motd\"\ncontent = \"inline\\n\"")
	wantFile(t, env, "/etc/motd", "inline\n", 0o644, 0, 0)
	mustApply(t, env, "file", "path = \"/srv/new/dir/motd\"\nsource = \"motd\"\nmode = \"0640\"\nowner = \"www-data\"\ngroup = \"adm\"")
	wantFile(t, env, "/srv/new/dir/motd", "from source\n", 0o640, 33, 4)
	wantMode(t, env, "/srv/new/dir", fs.ModeDir|0o755, 0, 0)
	mustApply(t, env, "file", "path = \"/usr/local/bin/greet\"\ntemplate = \"greet.tpl\"\nvars = { who = \"world\" }\nmode = \"4755\"\nowner = \"daemon\"")
	wantFile(t, env, "/usr/local/bin/greet", "Hello world\n", fs.ModeSetuid|0o755, 1, 1)

	mustApply(t, env, "directory", "path = \"/srv/app/data\"\nmode = \"2770\"\nowner = \"www-data\"\ngroup = \"staff\"")
	wantMode(t, env, "/srv/app/data", fs.ModeDir|fs.ModeSetgid|0o770, 33, 50)

	mustApply(t, env, "symlink", "path = \"/etc/motd\"\ntarget = \"/srv/new/dir/motd\"")
	if got, err := os.Readlink(filepath.Join(env.Root.Dir(), "etc/motd")); err != nil || got != "/srv/new/dir/motd" {
		t.Errorf("/etc/motd links to %q (%v)", got, err)
	}
	mustApply(t, env, "symlink", "path = \"/etc/motd\"\ntarget = \"motd.real\"")
	if got, _ := os.Readlink(filepath.Join(env.Root.Dir(), "etc/motd")); got != "motd.real" {
		t.Errorf("replaced /etc/motd links to %q", got)
	}
	if err := applyStep(t, env, "symlink", "path = \"/srv/app\"\ntarget = \"/x\""); err == nil {
		t.Error("a symlink over a folder succeeded")
	}

	for _, bad := range []string{"owner = \"nosuchuser\"", "group = \"nosuchgroup\""} {
		err := applyStep(t, env, "file", "path = \"/x\"\ncontent = \"\"\n"+bad)
		if name := strings.Trim(strings.SplitN(bad, "=", 2)[1], " \""); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v does not name it", bad, err)
		}
	}
	if err := applyStep(t, env, "file", "path = \"/x\"\nsource = \"missing\""); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing source: error %v does not name it", err)
	}
}

// TestCopyRemove copies a folder tree and a single file, then removes
// by glob.
func TestCopyRemove(t *testing.T) {
	env := testEnv(t)
	def := env.Dir
	os.MkdirAll(filepath.Join(def, "overlay/etc/app/private"), 0o755)
	os.Chmod(filepath.Join(def, "overlay/etc/app/private"), 0o700)
	os.WriteFile(filepath.Join(def, "overlay/etc/app/app.conf"), []byte("a=1\n"), 0o640)
	os.WriteFile(filepath.Join(def, "overlay/etc/app/private/key"), []byte("k"), 0o600)
	os.WriteFile(filepath.Join(def, "overlay/etc/app/run.sh"), []byte("#!/bin/sh\n"), 0o755)
	os.Symlink("app.conf", filepath.Join(def, "overlay/etc/app/current.conf"))
	os.WriteFile(filepath.Join(def, "single"), []byte("one"), 0o604)
	etcMode := statMode(t, env, "/etc")

	mustApply(t, env, "copy", "source = \"overlay\"\ndestination = \"/\"")
	wantFile(t, env, "/etc/app/app.conf", "a=1\n", 0o640, 0, 0)
	wantFile(t, env, "/etc/app/private/key", "k", 0o600, 0, 0)
	wantFile(t, env, "/etc/app/run.sh", "#!/bin/sh\n", 0o755, 0, 0)
	wantMode(t, env, "/etc/app/private", fs.ModeDir|0o700, 0, 0)
	if got, _ := os.Readlink(filepath.Join(env.Root.Dir(), "etc/app/current.conf")); got != "app.conf" {
		t.Errorf("copied symlink points to %q", got)
	}
	if got := statMode(t, env, "/etc"); got != etcMode {
		t.Errorf("merging into /etc changed its mode from %v to %v", etcMode, got)
	}
	mustApply(t, env, "copy", "source = \"overlay/etc/app\"\ndestination = \"/opt/app\"\nowner = \"www-data\"")
	wantFile(t, env, "/opt/app/private/key", "k", 0o600, 33, 33)
	wantMode(t, env, "/opt/app", fs.ModeDir|0o755, 33, 33)
	mustApply(t, env, "copy", "source = \"single\"\ndestination = \"/opt\"")
	wantFile(t, env, "/opt/single", "one", 0o604, 0, 0)
	mustApply(t, env, "copy", "source = \"single\"\ndestination = \"/opt/renamed\"\ngroup = \"staff\"")
	wantFile(t, env, "/opt/renamed", "one", 0o604, 0, 50)

	mustApply(t, env, "remove", `paths = ["/etc/app/*.conf", "/opt/app", "/nothing/here/*"]`)
	for _, gone := range []string{"etc/app/app.conf", "etc/app/current.conf", "opt/app"} {
		if _, err := os.Lstat(filepath.Join(env.Root.Dir(), gone)); !os.IsNotExist(err) {
			t.Errorf("/%s still exists (%v)", gone, err)
		}
	}
	wantFile(t, env, "/etc/app/run.sh", "#!/bin/sh\n", 0o755, 0, 0)
}

func statMode(t *testing.T, env *Env, name string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(env.Root.Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}
