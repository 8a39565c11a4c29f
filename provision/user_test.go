package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
)

func testUserApply(t *testing.T, env *Env) {
	mustApply(t, env, "user", `name = "alice"
groups = ["adm", "deploy"]
authorized_keys = ["`+testKey+`"]`)
	if got, want := runInRoot(t, env, "id", "alice"), "uid=1000(alice) gid=1000(alice) groups=1000(alice),4(adm),2000(deploy)\n"; got != want {
		t.Errorf("id alice = %q, want %q", got, want)
	}
	if got := runInRoot(t, env, "getent", "passwd", "alice"); got != "alice:x:1000:1000::/home/alice:/bin/bash\n" {
		t.Errorf("getent passwd alice = %q", got)
	}
	if got := runInRoot(t, env, "passwd", "-S", "alice"); !strings.HasPrefix(got, "alice L ") {
		t.Errorf("passwd -S alice = %q, want a locked password", got)
	}
	wantPerm(t, env, "/home/alice", 0o700, 1000, 1000)
	wantPerm(t, env, "/home/alice/.bashrc", 0o644, 1000, 1000)
	wantPerm(t, env, "/home/alice/.ssh", 0o700, 1000, 1000)
	wantPerm(t, env, "/home/alice/.ssh/authorized_keys", 0o600, 1000, 1000)
	wantPerm(t, env, "/etc/shadow", 0o640, 0, 42)
	if got := readInRoot(t, env, "/home/alice/.ssh/authorized_keys"); got != testKey+"\n" {
		t.Errorf("authorized_keys = %q", got)
	}

	mustApply(t, env, "user", `name = "root"
authorized_keys = ["`+testKey+`"]`)
	mustApply(t, env, "user", `name = "root"
authorized_keys = ["`+testKey+`"]`) // twice: the key is listed once
	wantPerm(t, env, "/root/.ssh/authorized_keys", 0o600, 0, 0)
	if got := readInRoot(t, env, "/root/.ssh/authorized_keys"); got != testKey+"\n" {
		t.Errorf("root's authorized_keys = %q", got)
	}
	if !strings.Contains(readInRoot(t, env, "/etc/shadow"), "\nroot:*:") && !strings.HasPrefix(readInRoot(t, env, "/etc/shadow"), "root:*:") {
		t.Errorf("root's password field is no longer *")
	}

	mustApply(t, env, "user", `name = "daemonx"
system = true
password_locked = false`)
	f := strings.Split(strings.TrimSpace(runInRoot(t, env, "getent", "passwd", "daemonx")), ":")
	if len(f) != 7 || len(f[2]) != 3 || f[5] != "/nonexistent" || f[6] != "/usr/sbin/nologin" {
		t.Errorf("system user daemonx = %v, want a uid 100..999, /nonexistent, nologin", f)
	}
	if !strings.Contains(readInRoot(t, env, "/etc/shadow"), "\ndaemonx:*:") {
		t.Errorf("/etc/shadow: daemonx has not the unlocked but unusable password *")
	}
	wantErr(t, applyStep(t, env, "user", `name = "bob"
groups = ["nosuchgroup"]`), "bob", "nosuchgroup")
	wantErr(t, applyStep(t, env, "user", `name = "carol"
uid = 1000`), "carol", "1000", "taken")
	wantErr(t, applyStep(t, env, "user", `name = "dave"
shell = "/bin/zsh"`), "dave", "/bin/zsh")
	if existsInRoot(env, "/home/carol") || strings.Contains(readInRoot(t, env, "/etc/passwd"), "\ndave:") {
		t.Errorf("a failed user step left an account or home behind")
	}

	// The root's own login.defs gives the range.
	defs := filepath.Join(env.Root.Dir(), "etc/login.defs")
	orig, err := os.ReadFile(defs)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(defs, append(append([]byte(nil), orig...), "UID_MIN 5000\nGID_MIN 5000\n"...), 0o644)
	mustApply(t, env, "user", `name = "frank"`)
	os.WriteFile(defs, orig, 0o644)
	if got := runInRoot(t, env, "id", "frank"); got != "uid=5000(frank) gid=5000(frank) groups=5000(frank)\n" {
		t.Errorf("id frank with UID_MIN 5000 = %q", got)
	}

	runInRoot(t, env, "grpck", "-r")
	out, _ := runIn(t.Context(), env.Root, "pwck", "-r")
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "alice") || strings.Contains(l, "daemonx") || strings.Contains(l, "invalid") {
			t.Errorf("pwck -r: %s", l)
		}
	}
}

func TestUserDecodeAndCheck(t *testing.T) {
	u := decodeStep(t, "user", `name = "deploy"
uid = 1500
authorized_keys = ["`+testKey+`"]`).(*User)
	if u.UID == nil || *u.UID != 1500 || !u.PasswordLocked {
		t.Fatalf("decoded %+v: want uid 1500 and password_locked true by default", u)
	}
	if err := u.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got, want := u.Summary(), "user deploy (uid 1500), 1 authorized key(s)"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	neg := -1
	for _, tc := range []struct {
		name string
		u    User
		attr string
	}{
		{"name", User{Name: "Deploy"}, "name"},
		{"uid", User{Name: "x", UID: &neg}, "uid"},
		{"group", User{Name: "x", Groups: []string{"a b"}}, "groups"},
		{"shell", User{Name: "x", Shell: "bash"}, "shell"},
		{"home", User{Name: "x", Home: "home/x"}, "home"},
		{"key", User{Name: "x", AuthorizedKeys: []string{"AAAA"}}, "authorized_keys"},
		{"key lines", User{Name: "x", AuthorizedKeys: []string{testKey + "\n" + testKey}}, "authorized_keys"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := check.Fields(tc.u.Check())
			if len(fields) != 1 || fields[0].Attr != tc.attr {
				t.Fatalf("Check() = %v, want one error on %q", fields, tc.attr)
			}
		})
	}
}
