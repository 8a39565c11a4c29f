package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestNTPNetworkOtherClients runs ntp and network on a root with chrony and
// without ifupdown, so they take their other paths: chrony's sources.d
// and systemd-networkd. chrony comes from the mirror through the packages
// step, as an image would get it.
func TestNTPNetworkOtherClients(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps a second test root")
	}
	r, err := chroot.Open(testroot.Get(t, "systemd-sysv", "kmod"))
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{Root: r, Dir: t.TempDir(), Log: os.Stderr}
	undo, err := r.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	defer undo()
	mustApply(t, env, "packages", `install = ["chrony"]`)

	mustApply(t, env, "ntp", `servers = ["ntp.int.cloud.online.net"]
fallback = ["2.debian.pool.ntp.org"]`)
	conf := readInRoot(t, env, "/etc/chrony/chrony.conf")
	for _, l := range strings.Split(conf, "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "pool" || f[0] == "server") {
			t.Errorf("chrony.conf still has %q", l)
		}
	}
	// chronyd -p prints the configuration as chronyd parses it; sources.d
	// is only read at run time, so the sources file is given as a
	// configuration of its own (its directives are valid there too).
	if out := runInRoot(t, env, "chronyd", "-p"); !strings.Contains(out, "sourcedir /etc/chrony/sources.d") {
		t.Errorf("chronyd -p: no sourcedir /etc/chrony/sources.d:\n%s", out)
	}
	out := runInRoot(t, env, "chronyd", "-p", "-f", "/etc/chrony/sources.d/chrootbuild.sources")
	for _, want := range []string{"server ntp.int.cloud.online.net iburst prefer", "pool 2.debian.pool.ntp.org iburst"} {
		if !strings.Contains(out, want) {
			t.Errorf("chronyd -p lacks %q:\n%s", want, out)
		}
	}

	mustApply(t, env, "network", `interface "eth0" { dhcp = true }`)
	if got := readInRoot(t, env, "/etc/systemd/network/50-eth0.network"); !strings.HasSuffix(got, "[Match]\nName=eth0\n\n[Network]\nDHCP=yes\n") {
		t.Errorf("50-eth0.network:\n%s", got)
	}
	if got := isEnabled(t, env, "systemd-networkd.service"); got != "enabled" {
		t.Errorf("systemd-networkd.service is %q", got)
	}
	runInRoot(t, env, "systemd-analyze", "cat-config", "systemd/network/50-eth0.network")

	os.Remove(filepath.Join(env.Root.Dir(), "usr/sbin/chronyd"))
	wantErr(t, applyStep(t, env, "ntp", `servers = ["a.example"]`), "no time client")
}
