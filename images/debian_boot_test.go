package images_test

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runHost(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	return string(out), err
}

// isEnabled asks the image's systemctl, offline, for a unit's state.
func isEnabled(t *testing.T, b built, unit string) string {
	t.Helper()
	out, _ := tryInRoot(b.root, nil, "systemctl", "--root=/", "is-enabled", unit)
	return strings.TrimSpace(out)
}

// TestDebianBootUnits: the helpers' units are enabled, valid, and the SSH
// ones ordered before sshd.
func TestDebianBootUnits(t *testing.T) {
	b := debianImage(t)
	units := []string{"oc-ssh-host-keys.service", "oc-fetch-ssh-keys.service", "oc-sync-kernel-modules.service", "oc-add-extra-volumes.service", "ssh.service", "systemd-timesyncd.service", "networking.service"}
	for _, u := range units {
		if got := isEnabled(t, b, u); got != "enabled" {
			t.Errorf("systemctl is-enabled %s: %q", u, got)
		}
	}
	for _, u := range units[:2] {
		unit := b.file(t, "etc/systemd/system/"+u)
		if !regexp.MustCompile(`(?m)^Before=.*\bssh\.service\b`).MatchString(unit) {
			t.Errorf("%s is not ordered before ssh.service:\n%s", u, unit)
		}
	}
	if !strings.Contains(b.file(t, "etc/systemd/system/oc-fetch-ssh-keys.service"), "After=network-online.target") {
		t.Error("oc-fetch-ssh-keys.service does not wait for the network")
	}
	out, _ := combined(b.root, append([]string{"systemd-analyze", "verify", "--man=no"}, units[:4]...)...)
	if strings.Contains(out, "oc-") {
		t.Errorf("systemd-analyze verify:\n%s", out)
	}
}

func TestDebianConsoles(t *testing.T) {
	b := debianImage(t)
	for i := 1; i <= 6; i++ {
		u := "getty@tty" + string(rune('0'+i)) + ".service"
		if got := isEnabled(t, b, u); got != "masked" {
			t.Errorf("%s is %q, want masked", u, got)
		}
	}
	if got := isEnabled(t, b, "serial-getty@ttyS0.service"); got != "enabled" {
		t.Errorf("serial-getty@ttyS0.service is %q", got)
	}
	var dropins bytes.Buffer
	ds, _ := filepath.Glob(filepath.Join(b.dir, "etc/systemd/system/serial-getty@ttyS0.service.d/*.conf"))
	for _, f := range ds {
		dropins.WriteString(readFile(t, f))
	}
	// The last ExecStart= of the drop-ins is what runs: agetty at 9600 only.
	execs := regexp.MustCompile(`(?m)^ExecStart=(.*)$`).FindAllStringSubmatch(dropins.String(), -1)
	if len(execs) == 0 || !regexp.MustCompile(`agetty .*\b9600\b`).MatchString(execs[len(execs)-1][1]) ||
		strings.Contains(execs[len(execs)-1][1], "115200") {
		t.Errorf("serial getty drop-ins do not pin 9600 bps:\n%s", dropins.String())
	}
}

func TestDebianOcsRelease(t *testing.T) {
	b := debianImage(t)
	rel := keyValues(t, b, "etc/ocs-release", "=")
	for _, k := range []string{"IMAGE_ID", "IMAGE_RELEASE", "IMAGE_CODENAME", "IMAGE_DOC_URL", "IMAGE_HELP_URL", "IMAGE_SOURCE_URL"} {
		if rel[k] == "" {
			t.Errorf("/etc/ocs-release has no %s", k)
		}
	}
	if rel["IMAGE_CODENAME"] != "debian-"+b.suite(t) || !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(rel["IMAGE_RELEASE"]) {
		t.Errorf("/etc/ocs-release: %v", rel)
	}
	// The file is read by sh scripts: it must source cleanly.
	out := b.run(t, nil, "sh", "-c", ". /etc/ocs-release && echo \"$IMAGE_ID\"")
	if out != "Debian "+strings.ToUpper(b.suite(t)[:1])+b.suite(t)[1:]+"\n" {
		t.Errorf("IMAGE_ID sourced: %q", out)
	}
}

// TestDebianFirstBootClean: nothing of the build survives into the first
// boot.
func TestDebianFirstBootClean(t *testing.T) {
	b := debianImage(t)
	glob := func(p string) []string {
		m, _ := filepath.Glob(filepath.Join(b.dir, p))
		return m
	}
	for _, p := range []string{"etc/ssh/ssh_host_*", "var/lib/apt/lists/*_*", "var/cache/apt/*.bin",
		"var/cache/apt/archives/*.deb", "var/lib/dhcp/*.leases", "var/lib/dhcp/*.lease", "root/.bash_history", "etc/resolv.conf", "var/log/bootstrap.log"} {
		if m := glob(p); len(m) > 0 {
			t.Errorf("left in the image: %v", m)
		}
	}
	if fi, err := os.Stat(filepath.Join(b.dir, "etc/machine-id")); err == nil && fi.Size() != 0 {
		t.Errorf("/etc/machine-id holds %d bytes", fi.Size())
	}
	if _, err := os.Lstat(filepath.Join(b.dir, "var/lib/dbus/machine-id")); err == nil {
		if target, _ := os.Readlink(filepath.Join(b.dir, "var/lib/dbus/machine-id")); target == "" {
			t.Error("/var/lib/dbus/machine-id is a file of its own")
		}
	}
	filepath.Walk(filepath.Join(b.dir, "var/log"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			t.Errorf("log %s holds %d bytes", strings.TrimPrefix(p, b.dir), fi.Size())
		}
		return nil
	})
	if h := b.file(t, "etc/hostname"); h != "server\n" {
		t.Errorf("/etc/hostname = %q", h)
	}
	if !regexp.MustCompile(`(?m)^127\.0\.1\.1\s+server$`).MatchString(b.file(t, "etc/hosts")) {
		t.Errorf("/etc/hosts lacks 127.0.1.1 server:\n%s", b.file(t, "etc/hosts"))
	}
}

// TestDebianRootMode: the image's / is 0755 in rootfs.tar, or every
// service running as a user of its own (timesyncd, dbus) fails to start.
func TestDebianRootMode(t *testing.T) {
	b := debianImage(t)
	mode, err := tarRootMode(filepath.Join(b.out, "rootfs.tar"))
	if err != nil {
		t.Fatal(err)
	}
	if mode != 0o755 {
		t.Errorf("/ in rootfs.tar has mode %o, want 755", mode)
	}
}

// tarRootMode returns the permission bits of the "./" entry of a tar.
func tarRootMode(name string) (os.FileMode, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			return 0, fmt.Errorf("reading %s: no ./ entry: %w", name, err)
		}
		if h.Name == "./" || h.Name == "." || h.Name == "/" {
			return os.FileMode(h.Mode).Perm(), nil
		}
	}
}
