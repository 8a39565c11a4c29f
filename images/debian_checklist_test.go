package images_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The tests below check each item of the image check list in the built
// Debian image: files read from the extracted rootfs.tar, programs run
// with the image's own binaries.

func TestDebianOutputs(t *testing.T) {
	b := debianImage(t)
	for _, f := range []string{"rootfs.tar", "rootfs.sqsh"} {
		fi, err := os.Stat(filepath.Join(b.out, f))
		if err != nil || fi.Size() < 50<<20 {
			t.Errorf("%s: %v (size %v)", f, err, fi)
		} else {
			t.Logf("%s: %.1f MiB", f, float64(fi.Size())/(1<<20))
		}
	}
	out, err := runHost("unsquashfs", "-l", filepath.Join(b.out, "rootfs.sqsh"), "etc/ocs-release")
	if err != nil || !strings.Contains(out, "etc/ocs-release") {
		t.Errorf("rootfs.sqsh lacks etc/ocs-release: %v\n%s", err, out)
	}
	pk := b.run(t, nil, "dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n")
	t.Logf("%d packages installed", strings.Count(pk, " installed\n"))
	for _, p := range []string{"systemd-sysv", "openssh-server", "locales", "ifupdown", "isc-dhcp-client", "systemd-timesyncd", "curl", "nbd-client", "kmod"} {
		if !strings.Contains(pk, "\n"+p+" installed\n") && !strings.HasPrefix(pk, p+" installed\n") {
			t.Errorf("package %s is not installed", p)
		}
	}
}

func TestDebianSysctl(t *testing.T) {
	b := debianImage(t)
	re := regexp.MustCompile(`(?m)^\s*vm\.min_free_kbytes\s*=\s*(\S+)\s*$`)
	m := re.FindStringSubmatch(b.file(t, "etc/sysctl.d/99-scaleway.conf"))
	if m == nil || m[1] != "65536" {
		t.Errorf("vm.min_free_kbytes in 99-scaleway.conf: %v", m)
	}
}

func TestDebianNTP(t *testing.T) {
	b := debianImage(t)
	conf := keyValues(t, b, "etc/systemd/timesyncd.conf.d", "=")
	if conf["NTP"] != "ntp.int.cloud.online.net" {
		t.Errorf("NTP=%q", conf["NTP"])
	}
	if !strings.Contains(conf["FallbackNTP"], "debian.pool.ntp.org") {
		t.Errorf("FallbackNTP=%q", conf["FallbackNTP"])
	}
}

// TestDebianSSHD asks the image's sshd for its effective configuration,
// with a throw-away host key outside /etc/ssh.
func TestDebianSSHD(t *testing.T) {
	b := debianImage(t)
	out := b.run(t, nil, "sh", "-c", "mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N '' -f /tmp/hk && /usr/sbin/sshd -T -h /tmp/hk")
	opts := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(l, " "); ok {
			opts[k] = v
		}
	}
	for k, want := range map[string]string{
		"passwordauthentication":       "no",
		"pubkeyauthentication":         "yes",
		"kbdinteractiveauthentication": "no",
	} {
		if opts[k] != want {
			t.Errorf("sshd -T: %s %q, want %q", k, opts[k], want)
		}
	}
	// sshd -T prints prohibit-password under its older name.
	if v := opts["permitrootlogin"]; v != "prohibit-password" && v != "without-password" {
		t.Errorf("sshd -T: permitrootlogin %q", v)
	}
	if v, ok := opts["acceptenv"]; ok {
		t.Errorf("sshd -T: acceptenv %q, want none", v)
	}
}

func TestDebianLocale(t *testing.T) {
	b := debianImage(t)
	if out := b.run(t, nil, "locale", "-a"); !strings.Contains(out, "en_US.utf8\n") {
		t.Errorf("locale -a:\n%s", out)
	}
	// systemd reads /etc/locale.conf first (trixie has it; bookworm's
	// systemd falls back to /etc/default/locale), PAM /etc/default/locale.
	files := []string{"etc/default/locale"}
	if _, err := os.Stat(filepath.Join(b.dir, "etc/locale.conf")); err == nil || b.suite(t) != "bookworm" {
		files = append(files, "etc/locale.conf")
	}
	for _, f := range files {
		if v := keyValues(t, b, f, "=")["LANG"]; v != "en_US.UTF-8" {
			t.Errorf("LANG=%q in /%s", v, f)
		}
	}
	out := b.run(t, []string{"LANG=en_US.UTF-8"}, "locale")
	if strings.Contains(out, "Cannot set") || !strings.Contains(out, "LC_CTYPE=\"en_US.UTF-8\"") {
		t.Errorf("locale with LANG=en_US.UTF-8:\n%s", out)
	}
}

// TestDebianNetwork asks ifupdown itself what it brings up at boot.
func TestDebianNetwork(t *testing.T) {
	b := debianImage(t)
	if out := b.run(t, nil, "ifquery", "--list", "--allow", "auto"); !strings.Contains(out, "eth0\n") {
		t.Errorf("ifquery --list --allow auto: %q", out)
	}
	var eth0 bytes.Buffer
	for _, f := range []string{"etc/network/interfaces"} {
		eth0.WriteString(b.file(t, f))
	}
	ds, _ := filepath.Glob(filepath.Join(b.dir, "etc/network/interfaces.d/*"))
	for _, f := range ds {
		eth0.WriteString(readFile(t, f))
	}
	if !regexp.MustCompile(`(?m)^iface eth0 inet dhcp$`).Match(eth0.Bytes()) {
		t.Errorf("no 'iface eth0 inet dhcp' in the interfaces files:\n%s", eth0.String())
	}
}

// keyValues reads KEY<sep>VALUE lines from a file or from every file of a
// folder; later files win, as in systemd's drop-ins.
func keyValues(t *testing.T, b built, name, sep string) map[string]string {
	t.Helper()
	files := []string{filepath.Join(b.dir, name)}
	if fi, err := os.Stat(files[0]); err == nil && fi.IsDir() {
		files, _ = filepath.Glob(filepath.Join(files[0], "*.conf"))
	}
	kv := map[string]string{}
	for _, f := range files {
		sc := bufio.NewScanner(strings.NewReader(readFile(t, f)))
		for sc.Scan() {
			l := strings.TrimSpace(sc.Text())
			if k, v, ok := strings.Cut(l, sep); ok && !strings.HasPrefix(l, "#") {
				kv[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
			}
		}
	}
	return kv
}
