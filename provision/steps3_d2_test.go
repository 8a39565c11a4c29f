package provision

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unitLinks lists the symlinks under /etc/systemd/system, with /usr/lib
// written /lib so that both spellings of a merged-/usr target compare.
func unitLinks(t *testing.T, env *Env) map[string]string {
	t.Helper()
	base := filepath.Join(env.Root.Dir(), "etc/systemd/system")
	links := map[string]string{}
	filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			rel, _ := filepath.Rel(base, p)
			links[rel] = strings.Replace(target, "/usr/lib/", "/lib/", 1)
		}
		return nil
	})
	return links
}

func diffLinks(before, after map[string]string) map[string]string {
	d := map[string]string{}
	for k, v := range after {
		if before[k] != v {
			d[k] = v
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			d[k] = "(removed)"
		}
	}
	return d
}

// testServiceVsSystemctl enables units with the service step and with the
// image's own systemctl and compares the links each made.
func testServiceVsSystemctl(t *testing.T, env *Env) {
	units := []string{"ssh.service", "systemd-networkd.service", "serial-getty@ttyS2.service",
		"systemd-timesyncd.service", "fstrim.timer", "getty@.service"}
	list := `["` + strings.Join(units, `", "`) + `"]`
	d2Must(t, env, "service", "disable = "+list)
	base := unitLinks(t, env)
	d2Must(t, env, "service", "enable = "+list)
	ours := diffLinks(base, unitLinks(t, env))
	d2Must(t, env, "service", "disable = "+list)
	if d := diffLinks(base, unitLinks(t, env)); len(d) != 0 {
		t.Errorf("disable did not undo enable: %v", d)
	}
	d2Run(t, env, append([]string{"systemctl", "enable"}, units...)...)
	real := diffLinks(base, unitLinks(t, env))
	if len(real) == 0 || !maps.Equal(ours, real) {
		t.Errorf("links made by the service step:\n%v\nby systemctl enable:\n%v", ours, real)
	}
}

func testConsoleApply(t *testing.T, env *Env) {
	d2Must(t, env, "console", `disable_vts = true`)
	if got := isEnabled(t, env, "serial-getty@ttyS0.service"); got != "enabled" {
		t.Errorf("serial-getty@ttyS0.service is %q", got)
	}
	for _, u := range []string{"getty@tty1.service", "getty@tty6.service"} {
		if got := isEnabled(t, env, u); got != "masked" {
			t.Errorf("%s is %q, want masked", u, got)
		}
	}
	drop := d2Read(t, env, "/etc/systemd/system/serial-getty@ttyS0.service.d/chrootbuild-baud.conf")
	want := "ExecStart=\nExecStart=-/sbin/agetty -o '-p -- \\\\u' 9600 - $TERM\n"
	if !strings.HasSuffix(drop, want) {
		t.Errorf("serial getty drop-in:\n%s\nwant it to end with\n%s", drop, want)
	}
	if got := d2Run(t, env, "systemd-analyze", "cat-config", "systemd/logind.conf"); !strings.Contains(got, "NAutoVTs=0\nReserveVT=0") {
		t.Errorf("systemd-analyze cat-config systemd/logind.conf lacks NAutoVTs=0:\n%s", got)
	}
	d2Run(t, env, "systemd-analyze", "verify", "--man=no", "serial-getty@ttyS0.service")
}

func testNTPApply(t *testing.T, env *Env) {
	d2Must(t, env, "ntp", `servers = ["ntp.int.cloud.online.net"]
fallback = ["0.debian.pool.ntp.org"]`)
	got := d2Run(t, env, "systemd-analyze", "cat-config", "systemd/timesyncd.conf")
	if !strings.Contains(got, "# /etc/systemd/timesyncd.conf.d/chrootbuild.conf") ||
		!strings.Contains(got, "NTP=ntp.int.cloud.online.net\nFallbackNTP=0.debian.pool.ntp.org\n") {
		t.Errorf("systemd-analyze cat-config systemd/timesyncd.conf:\n%s", got)
	}
}

func testNetworkApply(t *testing.T, env *Env) {
	d2Must(t, env, "network", `interface "eth0" { dhcp = true }
interface "eth1" {
  address = "192.0.2.10/24"
  gateway = "192.0.2.1"
}`)
	if got := d2Read(t, env, "/etc/network/interfaces.d/eth0"); !strings.HasSuffix(got, "auto eth0\niface eth0 inet dhcp\n") {
		t.Errorf("interfaces.d/eth0:\n%s", got)
	}
	if got := d2Run(t, env, "ifquery", "--list"); got != "lo\neth0\neth1\n" {
		t.Errorf("ifquery --list = %q", got)
	}
	if got := d2Run(t, env, "ifquery", "eth1"); !strings.Contains(got, "address: 192.0.2.10\ngateway: 192.0.2.1\n") || !strings.Contains(got, "netmask: 255.255.255.0") {
		t.Errorf("ifquery eth1 = %q", got)
	}
	os.WriteFile(filepath.Join(env.Root.Dir(), "etc/network/interfaces"), []byte("iface eth2 inet manual\n"), 0o644)
	wantErr(t, d2Apply(t, env, "network", `interface "eth2" { dhcp = true }`), "eth2", "/etc/network/interfaces")
}

func testKernelModulesApply(t *testing.T, env *Env) {
	d2Must(t, env, "kernel_modules", `load = ["nbd", "loop"]`)
	d2Must(t, env, "kernel_modules", `load = ["loop", "vfio"]`)
	got := d2Read(t, env, modulesLoadFile)
	if !strings.HasSuffix(got, "\nnbd\nloop\nvfio\n") {
		t.Errorf("%s:\n%s", modulesLoadFile, got)
	}
	if cat := d2Run(t, env, "systemd-analyze", "cat-config", "modules-load.d/chrootbuild.conf"); !strings.Contains(cat, "nbd\nloop\nvfio") {
		t.Errorf("systemd-analyze cat-config modules-load.d/chrootbuild.conf:\n%s", cat)
	}
}
