package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
)

func testSSHServerApply(t *testing.T, env *Env) {
	d2Must(t, env, "ssh_server", `settings = { ClientAliveInterval = "120" }`)
	if d := d2Read(t, env, sshdDropIn); !strings.Contains(d, "PasswordAuthentication no\n") {
		t.Errorf("%s:\n%s", sshdDropIn, d)
	}
	for _, l := range strings.Split(d2Read(t, env, "/etc/ssh/sshd_config"), "\n") {
		if sshdKeyword(l) == "acceptenv" {
			t.Errorf("sshd_config still has %q", l)
		}
	}
	// The image's own sshd -t and -T with a host key, as nobody: as root
	// sshd wants /run/sshd, and /run is a fresh tmpfs for every command.
	d2Run(t, env, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "/etc/ssh/test_host_key")
	os.Chown(filepath.Join(env.Root.Dir(), "etc/ssh/test_host_key"), 65534, 65534)
	d2Run(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-t", "-h", "/etc/ssh/test_host_key")
	opts := sshdOptions(d2Run(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-T", "-h", "/etc/ssh/test_host_key"))
	for k, want := range map[string]string{
		"passwordauthentication": "no", "permitrootlogin": "without-password", "pubkeyauthentication": "yes",
		"kbdinteractiveauthentication": "no", "clientaliveinterval": "120",
	} {
		if got := strings.Join(opts[k], " "); got != want {
			t.Errorf("sshd -T: %s %q, want %q", k, got, want)
		}
	}
	if v := opts["acceptenv"]; len(v) > 0 {
		t.Errorf("sshd -T: acceptenv %v, want none", v)
	}
	if d2Exists(env, sshdCheckDir) {
		t.Errorf("%s was left behind", sshdCheckDir)
	}
	wantErr(t, d2Apply(t, env, "ssh_server", `settings = { Bogus = "yes" }`), "Bogus")
	d2Must(t, env, "ssh_server", `accept_env = ["LANG"]`)
	if got := sshdOptions(d2Run(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-T", "-h", "/etc/ssh/test_host_key"))["acceptenv"]; len(got) != 1 || got[0] != "LANG" {
		t.Errorf("sshd -T with accept_env = [LANG]: acceptenv %v", got)
	}
	d2Must(t, env, "ssh_server", ``)
}

// isEnabled runs the image's systemctl is-enabled, which works offline.
func isEnabled(t *testing.T, env *Env, unit string) string {
	t.Helper()
	var out strings.Builder
	// is-enabled exits non-zero for disabled and masked units.
	env.Root.Run(t.Context(), chroot.Cmd{Args: []string{"systemctl", "is-enabled", unit}, Stdout: &out})
	return strings.TrimSpace(out.String())
}

func testServiceApply(t *testing.T, env *Env) {
	d2Must(t, env, "service", `disable = ["ssh.service", "apt-daily.timer"]`)
	for _, u := range []string{"ssh.service", "apt-daily.timer"} {
		if got := isEnabled(t, env, u); got != "disabled" {
			t.Errorf("after disable: systemctl is-enabled %s = %q", u, got)
		}
	}
	if d2Exists(env, "/etc/systemd/system/sshd.service") {
		t.Errorf("disabling ssh.service left its alias sshd.service")
	}
	d2Must(t, env, "service", `
enable = ["ssh.service", "systemd-networkd.service", "getty@.service", "serial-getty@ttyS1.service"]
mask   = ["apt-daily.timer"]`)
	for u, want := range map[string]string{
		"ssh.service": "enabled", "systemd-networkd.service": "enabled", "systemd-networkd.socket": "enabled",
		"getty@tty1.service": "enabled", "serial-getty@ttyS1.service": "enabled", "apt-daily.timer": "masked",
	} {
		if got := isEnabled(t, env, u); got != want {
			t.Errorf("systemctl is-enabled %s = %q, want %q", u, got, want)
		}
	}
	if l, _ := os.Readlink(filepath.Join(env.Root.Dir(), "etc/systemd/system/sshd.service")); l != "/lib/systemd/system/ssh.service" {
		t.Errorf("alias sshd.service links to %q", l)
	}
	wantErr(t, d2Apply(t, env, "service", `enable = ["nope.service"]`), "nope.service")
	wantErr(t, d2Apply(t, env, "service", `enable = ["systemd-journald.service"]`), "systemd-journald.service", "[Install]")
	wantErr(t, d2Apply(t, env, "service", `enable = ["apt-daily.timer"]`), "apt-daily.timer", "masked")
	d2Must(t, env, "service", `disable = ["systemd-networkd.service"]`)
	if got := isEnabled(t, env, "systemd-networkd.socket"); got != "disabled" {
		t.Errorf("disable follows Also=: systemd-networkd.socket is %q", got)
	}
}
