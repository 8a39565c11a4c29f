package provision

import (
	"os"
	"path/filepath"
	"testing"
)

func testCleanupApply(t *testing.T, env *Env) {
	dir := env.Root.Dir()
	put := func(name, content string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	gone := []string{
		"/var/cache/apt/pkgcache.bin", "/var/cache/apt/archives/x_1_amd64.deb",
		"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
		"/var/log/syslog.1", "/var/log/syslog.2.gz", "/var/log/dpkg.log-20240101", "/var/log/bootstrap.log",
		"/var/lib/dhcp/dhclient.eth0.leases", "/root/.bash_history", "/home/alice/.bash_history", "/root/.lesshst", "/home/alice/.viminfo",
		"/etc/resolv.conf", "/var/lib/dbus/machine-id", "/etc/ssh/ssh_host_ed25519_key.pub",
		"/var/lib/systemd/random-seed", "/var/lib/systemd/credential.secret",
	}
	for _, g := range gone {
		put(g, "data\n")
	}
	put("/var/lib/apt/lists/lock", "")
	put("/var/cache/apt/archives/lock", "")
	os.MkdirAll(filepath.Join(dir, "var/lib/apt/lists/partial"), 0o700)
	put("/var/log/syslog", "old log\n")
	os.Chown(filepath.Join(dir, "var/log/syslog"), 0, 4)
	put("/var/log/apt/history.log", "old\n")
	put("/etc/machine-id", "0123456789abcdef0123456789abcdef\n")
	os.Symlink("/etc/ssh/ssh_host_rsa_key", filepath.Join(dir, "etc/ssh/ssh_host_dangling"))

	mustApply(t, env, "cleanup", ``)
	for _, g := range append(gone, "/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_dangling") {
		if existsInRoot(env, g) {
			t.Errorf("%s is still there", g)
		}
	}
	for _, f := range []string{"/var/log/syslog", "/var/log/apt/history.log", "/etc/machine-id"} {
		if got := readInRoot(t, env, f); got != "" {
			t.Errorf("%s holds %q, want it empty", f, got)
		}
	}
	wantPerm(t, env, "/var/log/syslog", 0o640, 0, 4)
	wantPerm(t, env, "/etc/machine-id", 0o444, 0, 0)
	for _, keep := range []string{"/var/lib/apt/lists/lock", "/var/lib/apt/lists/partial", "/etc/ssh/sshd_config", "/var/cache/apt/archives/lock"} {
		if !existsInRoot(env, keep) {
			t.Errorf("%s was removed", keep)
		}
	}
	// A symlink resolv.conf (systemd-resolved's) is the image's own and stays.
	os.Symlink("../run/systemd/resolve/stub-resolv.conf", filepath.Join(dir, "etc/resolv.conf"))
	mustApply(t, env, "cleanup", `apt_cache = false
logs = false`)
	if !existsInRoot(env, "/etc/resolv.conf") {
		t.Errorf("the resolv.conf symlink was removed")
	}
	wantErr(t, decodeStep(t, "cleanup", `apt_cache = false
logs = false
machine_id = false
ssh_host_keys = false
dhcp_leases = false
resolv_conf = false
history = false`).Check(), "nothing to clean")
}

func TestRotatedLog(t *testing.T) {
	for name, want := range map[string]bool{
		"syslog": false, "syslog.1": true, "syslog.2.gz": true, "dpkg.log-20240101": true, "dpkg.log-20240101.xz": true,
		"eipp.log.xz": true, "auth.log": false, "wtmp": false, "Xorg.0.log": false, "alternatives.log.old": true,
	} {
		if got := rotatedLog.MatchString(name); got != want {
			t.Errorf("rotatedLog(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCleanupDefaults(t *testing.T) {
	c := decodeStep(t, "cleanup", `logs = false`).(*Cleanup)
	want := Cleanup{AptCache: true, MachineID: true, SSHHostKeys: true, DHCPLeases: true, ResolvConf: true, History: true}
	if *c != want {
		t.Errorf("decoded %+v, want %+v", *c, want)
	}
	if got := c.Summary(); got != "cleanup apt_cache, machine_id, ssh_host_keys, dhcp_leases, resolv_conf, history" {
		t.Errorf("Summary = %q", got)
	}
}
