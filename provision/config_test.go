package provision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigKinds applies sysctl, hostname, hosts, timezone, apt_source
// and exec to one root of each suite and asks the image's own tools about
// the result.
func TestConfigKinds(t *testing.T) { forEachSuite(t, testConfigKinds) }

func testConfigKinds(t *testing.T, env *Env) {
	ctx := context.Background()

	mustApply(t, env, "sysctl", `values = { "vm.min_free_kbytes" = "65536", "net.ipv4.ip_forward" = "1" }`)
	wantFile(t, env, DefaultSysctlFile, "# Written by chrootbuild.\nnet.ipv4.ip_forward = 1\nvm.min_free_kbytes = 65536\n", 0o644, 0, 0)
	// systemd-sysctl lists the drop-ins it would apply, without applying.
	if out := rootOutput(t, env, "/usr/lib/systemd/systemd-sysctl", "--cat-config"); !strings.Contains(out, "vm.min_free_kbytes = 65536") {
		t.Errorf("systemd-sysctl --cat-config does not show the drop-in:\n%s", out)
	}
	// /etc/sysctl.conf only where systemd-sysctl reads it (bookworm);
	// trixie's procps dropped it, and the step says so.
	err := applyStep(t, env, "sysctl", "values = { \"net.core.somaxconn\" = \"1024\" }\nfile = \"/etc/sysctl.conf\"")
	if existsInRoot(env, "/etc/sysctl.d/99-sysctl.conf") {
		if err != nil {
			t.Errorf("sysctl to /etc/sysctl.conf: %v", err)
		} else if out := rootOutput(t, env, "/usr/lib/systemd/systemd-sysctl", "--cat-config"); !strings.Contains(out, "net.core.somaxconn = 1024") {
			t.Errorf("systemd-sysctl --cat-config does not show /etc/sysctl.conf:\n%s", out)
		}
	} else {
		wantErr(t, err, "/etc/sysctl.conf", "does not read it")
	}

	mustApply(t, env, "hostname", `name = "web1.example.org"`)
	wantFile(t, env, "/etc/hostname", "web1.example.org\n", 0o644, 0, 0)
	mustApply(t, env, "hosts", `entries = { "10.1.2.3" = ["db", "db.internal"], "127.0.0.1" = ["localhost", "local"] }`)
	for name, want := range map[string]string{"web1": "127.0.1.1", "db.internal": "10.1.2.3", "local": "127.0.0.1"} {
		if out := rootOutput(t, env, "getent", "hosts", name); !strings.HasPrefix(out, want) {
			t.Errorf("getent hosts %s = %q, want %s", name, out, want)
		}
	}
	hosts, _ := os.ReadFile(filepath.Join(env.Root.Dir(), "etc/hosts"))
	if strings.Count(string(hosts), "127.0.0.1") != 1 || !strings.Contains(string(hosts), "ip6-localhost") {
		t.Errorf("/etc/hosts lost or duplicated lines:\n%s", hosts)
	}

	// /etc/timezone is written when the suite keeps one (bookworm), never
	// made up (trixie's tzdata dropped it).
	hadTimezone := existsInRoot(env, "/etc/timezone")
	mustApply(t, env, "timezone", `zone = "Europe/Paris"`)
	// tzdata's own configuration reads the zone back from the image (the
	// /etc/localtime link, then /etc/timezone) and keeps it when they agree.
	runInRoot(t, env, "env", "DEBIAN_FRONTEND=noninteractive", "dpkg-reconfigure", "tzdata")
	if hadTimezone {
		wantFile(t, env, "/etc/timezone", "Europe/Paris\n", 0o644, 0, 0)
	} else if existsInRoot(env, "/etc/timezone") {
		t.Errorf("/etc/timezone was made on a suite without one")
	}
	if l, _ := os.Readlink(filepath.Join(env.Root.Dir(), "etc/localtime")); !strings.HasSuffix(l, "/usr/share/zoneinfo/Europe/Paris") {
		t.Errorf("after dpkg-reconfigure tzdata /etc/localtime links to %q", l)
	}
	if out := rootOutput(t, env, "date", "-d", "2026-01-15 12:00 UTC", "+%Z %z"); strings.TrimSpace(out) != "CET +0100" {
		t.Errorf("date in the root shows %q, want CET +0100", out)
	}
	if err := applyStep(t, env, "timezone", `zone = "Mars/Olympus_Mons"`); err == nil || !strings.Contains(err.Error(), "Mars/Olympus_Mons") {
		t.Errorf("unknown zone: error %v does not name it", err)
	}

	mustApply(t, env, "apt_source", "name = \"backports\"\nuris = [\"http://deb.debian.org/debian\"]\nsuites = [\"bookworm-backports\"]\ncomponents = [\"main\", \"contrib\"]\nsigned_by = \"/usr/share/keyrings/debian-archive-keyring.gpg\"")
	// apt parses the file offline: its index targets come from it.
	out := rootOutput(t, env, "apt-get", "indextargets", "--no-release-info", "--format", "$(SITE) $(RELEASE) $(COMPONENT) $(TARGET_OF)", "Identifier: Packages")
	for _, c := range []string{"main", "contrib"} {
		if !strings.Contains(out, "http://deb.debian.org/debian bookworm-backports "+c+" deb") {
			t.Errorf("apt-get indextargets does not show bookworm-backports %s:\n%s", c, out)
		}
	}
	if err := applyStep(t, env, "apt_source", "name = \"x\"\nuris = [\"http://a/\"]\nsuites = [\"s\"]\ncomponents = [\"main\"]\nsigned_by = \"/no/such.gpg\""); err == nil {
		t.Error("a missing keyring was accepted")
	}

	mustApply(t, env, "exec", "argv = [\"sh\", \"-c\", \"printf '%s|%s' \\\"$GREETING\\\" \\\"$(pwd)\\\" > out\"]\nenv = { GREETING = \"hi there\" }\ndir = \"/srv\"")
	wantFile(t, env, "/srv/out", "hi there|/srv", 0o644, 0, 0)
	err = applyStep(t, env, "exec", `argv = ["false"]`)
	if err == nil || !strings.Contains(err.Error(), "false") {
		t.Errorf("failing command: error %v does not name it", err)
	}
	if err := applyStep(t, env, "exec", `argv = ["no-such-program"]`); err == nil {
		t.Error("a missing program succeeded")
	}
	_ = ctx
}
