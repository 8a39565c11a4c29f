package provision

import (
	"strings"
	"testing"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhnaWKwJfrqGsQl1hjBbHHcn8mW8cx9z2jXMgcfSsC5 test@chrootbuild"

// TestD2Steps applies engineer D2's step kinds to one real bookworm root
// (a fresh copy of the cached one) and checks the result with the image's
// own tools. Subtests share the root, so they run in order.
func TestD2Steps(t *testing.T) {
	env := d2Env(t)
	t.Run("group", func(t *testing.T) { testGroupApply(t, env) })
	t.Run("user", func(t *testing.T) { testUserApply(t, env) })
	t.Run("ssh_server", func(t *testing.T) { testSSHServerApply(t, env) })
	t.Run("service", func(t *testing.T) { testServiceApply(t, env) })
	t.Run("service_vs_systemctl", func(t *testing.T) { testServiceVsSystemctl(t, env) })
	t.Run("console", func(t *testing.T) { testConsoleApply(t, env) })
	t.Run("ntp", func(t *testing.T) { testNTPApply(t, env) })
	t.Run("network", func(t *testing.T) { testNetworkApply(t, env) })
	t.Run("kernel_modules", func(t *testing.T) { testKernelModulesApply(t, env) })
	t.Run("cleanup", func(t *testing.T) { testCleanupApply(t, env) })
}

func testGroupApply(t *testing.T, env *Env) {
	d2Must(t, env, "group", `name = "deploy"
gid = 2000`)
	d2Must(t, env, "group", `name = "svc"
system = true`)
	d2Must(t, env, "group", `name = "deploy"`) // exists: nothing to do
	if got := d2Run(t, env, "getent", "group", "deploy"); got != "deploy:x:2000:\n" {
		t.Errorf("getent group deploy = %q", got)
	}
	f := strings.Split(strings.TrimSpace(d2Run(t, env, "getent", "group", "svc")), ":")
	if len(f) < 3 || len(f[2]) != 3 || f[2] < "100" || f[2] > "999" {
		t.Errorf("system group svc got gid %v, want 100..999", f)
	}
	if !strings.Contains(d2Read(t, env, "/etc/gshadow"), "\ndeploy:!::\n") {
		t.Errorf("/etc/gshadow lacks deploy:!::")
	}
	d2Stat(t, env, "/etc/gshadow", 0o640, 0, 42) // root:shadow kept
	wantErr(t, d2Apply(t, env, "group", `name = "deploy"
gid = 2001`), "deploy", "2000", "2001")
	wantErr(t, d2Apply(t, env, "group", `name = "other"
gid = 2000`), "other", "2000", "taken")
	d2Run(t, env, "grpck", "-r")
}

func testUserApply(t *testing.T, env *Env) {
	d2Must(t, env, "user", `name = "alice"
groups = ["adm", "deploy"]
authorized_keys = ["`+testKey+`"]`)
	if got, want := d2Run(t, env, "id", "alice"), "uid=1000(alice) gid=1000(alice) groups=1000(alice),4(adm),2000(deploy)\n"; got != want {
		t.Errorf("id alice = %q, want %q", got, want)
	}
	if got := d2Run(t, env, "getent", "passwd", "alice"); got != "alice:x:1000:1000::/home/alice:/bin/bash\n" {
		t.Errorf("getent passwd alice = %q", got)
	}
	if got := d2Run(t, env, "passwd", "-S", "alice"); !strings.HasPrefix(got, "alice L ") {
		t.Errorf("passwd -S alice = %q, want a locked password", got)
	}
	d2Stat(t, env, "/home/alice", 0o700, 1000, 1000)
	d2Stat(t, env, "/home/alice/.bashrc", 0o644, 1000, 1000)
	d2Stat(t, env, "/home/alice/.ssh", 0o700, 1000, 1000)
	d2Stat(t, env, "/home/alice/.ssh/authorized_keys", 0o600, 1000, 1000)
	d2Stat(t, env, "/etc/shadow", 0o640, 0, 42)
	if got := d2Read(t, env, "/home/alice/.ssh/authorized_keys"); got != testKey+"\n" {
		t.Errorf("authorized_keys = %q", got)
	}

	d2Must(t, env, "user", `name = "root"
authorized_keys = ["`+testKey+`"]`)
	d2Must(t, env, "user", `name = "root"
authorized_keys = ["`+testKey+`"]`) // twice: the key is listed once
	d2Stat(t, env, "/root/.ssh/authorized_keys", 0o600, 0, 0)
	if got := d2Read(t, env, "/root/.ssh/authorized_keys"); got != testKey+"\n" {
		t.Errorf("root's authorized_keys = %q", got)
	}

	d2Must(t, env, "user", `name = "daemonx"
system = true
password_locked = false`)
	f := strings.Split(strings.TrimSpace(d2Run(t, env, "getent", "passwd", "daemonx")), ":")
	if len(f) != 7 || len(f[2]) != 3 || f[5] != "/nonexistent" || f[6] != "/usr/sbin/nologin" {
		t.Errorf("system user daemonx = %v, want a uid 100..999, /nonexistent, nologin", f)
	}
	if !strings.Contains(d2Read(t, env, "/etc/shadow"), "\ndaemonx:*:") {
		t.Errorf("/etc/shadow: daemonx has not the unlocked but unusable password *")
	}
	wantErr(t, d2Apply(t, env, "user", `name = "bob"
groups = ["nosuchgroup"]`), "bob", "nosuchgroup")
	wantErr(t, d2Apply(t, env, "user", `name = "carol"
uid = 1000`), "carol", "1000", "taken")

	d2Run(t, env, "grpck", "-r")
	out, _ := runIn(t.Context(), env.Root, "pwck", "-r")
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "alice") || strings.Contains(l, "daemonx") || strings.Contains(l, "invalid") {
			t.Errorf("pwck -r: %s", l)
		}
	}
}
