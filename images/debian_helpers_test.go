package images_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// keepFiles restores the named files of the built root after the test, so
// that tests changing the root leave it as built.
func keepFiles(t *testing.T, b built, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(b.dir, n)
		data, err := os.ReadFile(p)
		t.Cleanup(func() {
			if err != nil {
				os.RemoveAll(p)
				return
			}
			os.WriteFile(p, data, 0o644)
		})
	}
}

// TestDebianHelpers runs the image's helpers, with the image's programs,
// against the metadata service on loopback.
func TestDebianHelpers(t *testing.T) {
	b := debianImage(t)
	keepFiles(t, b, "etc/hostname", "etc/hosts", "root/.ssh")
	t.Cleanup(func() {
		keys, _ := filepath.Glob(filepath.Join(b.dir, "etc/ssh/ssh_host_*"))
		for _, k := range keys {
			os.Remove(k)
		}
	})
	srv := serve(t, fixture(), 1)
	env := []string{"METADATA_URL=" + srv.URL, "OC_METADATA_RETRY_DELAY=0.1", "OC_METADATA_CACHE=/tmp/oc"}

	t.Run("hook found by dhclient-script", func(t *testing.T) {
		// dhclient-script sources what run-parts --list names.
		out := b.run(t, nil, "run-parts", "--list", "/etc/dhcp/dhclient-exit-hooks.d")
		if !strings.Contains(out, "/etc/dhcp/dhclient-exit-hooks.d/hostname\n") {
			t.Errorf("run-parts --list: %q", out)
		}
		fi, err := os.Stat(filepath.Join(b.dir, "etc/dhcp/dhclient-exit-hooks.d/hostname"))
		if err != nil || fi.Mode().Perm() != 0o755 {
			t.Errorf("hook: %v %v", fi, err)
		}
	})
	t.Run("hostname hook", func(t *testing.T) {
		b.run(t, append(env, "OC_HOSTNAME_CMD=true"), "sh", "-c", "reason=BOUND new_host_name=; . /etc/dhcp/dhclient-exit-hooks.d/hostname")
		if got := b.file(t, "etc/hostname"); got != "web-1\n" {
			t.Errorf("/etc/hostname = %q", got)
		}
		if !strings.Contains(b.file(t, "etc/hosts"), "\n127.0.1.1\tweb-1\n") || strings.Contains(b.file(t, "etc/hosts"), "server") {
			t.Errorf("/etc/hosts:\n%s", b.file(t, "etc/hosts"))
		}
	})
	t.Run("ssh keys", func(t *testing.T) {
		b.run(t, env, "oc-fetch-ssh-keys")
		got := b.file(t, "root/.ssh/authorized_keys")
		if strings.Count(got, "\nssh-") != 3 {
			t.Errorf("authorized_keys:\n%s", got)
		}
	})
	t.Run("host keys then sshd -t", func(t *testing.T) {
		out := b.run(t, nil, "oc-ssh-host-keys")
		if strings.Count(out, "SHA256:") < 3 {
			t.Errorf("fingerprints:\n%s", out)
		}
		// What ssh.service runs first (ExecStartPre) now passes.
		b.run(t, nil, "sh", "-c", "mkdir -p /run/sshd && /usr/sbin/sshd -t")
	})
}

// TestDebianNBDShutdownHook: the hook is where the image's own
// systemd-shutdown looks for hooks.
func TestDebianNBDShutdownHook(t *testing.T) {
	b := debianImage(t)
	bin, err := os.ReadFile(filepath.Join(b.dir, "lib/systemd/systemd-shutdown"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range []string{"/usr/lib/systemd/system-shutdown", "/lib/systemd/system-shutdown"} {
		if !bytes.Contains(bin, []byte(d+"\x00")) {
			continue
		}
		found = true
		fi, err := os.Stat(filepath.Join(b.dir, d, "oc-nbd-disconnect"))
		if err != nil || fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("systemd-shutdown runs %s, where oc-nbd-disconnect is %v (%v)", d, fi, err)
		}
	}
	if !found {
		t.Error("no system-shutdown folder named in the image's systemd-shutdown")
	}
	if _, err := os.Stat(filepath.Join(b.dir, "usr/sbin/nbd-client")); err != nil {
		if _, err := os.Stat(filepath.Join(b.dir, "sbin/nbd-client")); err != nil {
			t.Error("nbd-client is not installed")
		}
	}
}
