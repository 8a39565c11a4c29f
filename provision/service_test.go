package provision

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// isEnabled runs the image's systemctl is-enabled, which works offline.
func isEnabled(t *testing.T, env *Env, unit string) string {
	t.Helper()
	var out strings.Builder
	// is-enabled exits non-zero for disabled and masked units.
	env.Root.Run(t.Context(), chroot.Cmd{Args: []string{"systemctl", "is-enabled", unit}, Stdout: &out})
	return strings.TrimSpace(out.String())
}

func testServiceApply(t *testing.T, env *Env) {
	mustApply(t, env, "service", `disable = ["ssh.service", "apt-daily.timer"]`)
	for _, u := range []string{"ssh.service", "apt-daily.timer"} {
		if got := isEnabled(t, env, u); got != "disabled" {
			t.Errorf("after disable: systemctl is-enabled %s = %q", u, got)
		}
	}
	if existsInRoot(env, "/etc/systemd/system/sshd.service") {
		t.Errorf("disabling ssh.service left its alias sshd.service")
	}
	mustApply(t, env, "service", `
enable = ["ssh", "systemd-networkd.service", "getty@.service", "serial-getty@ttyS1"]
mask   = ["apt-daily.timer"]`) // ssh and serial-getty@ttyS1 are services, as for systemctl
	for u, want := range map[string]string{
		"ssh.service": "enabled", "systemd-networkd.service": "enabled", "systemd-networkd.socket": "enabled",
		"getty@tty1.service": "enabled", "serial-getty@ttyS1.service": "enabled", "apt-daily.timer": "masked",
	} {
		if got := isEnabled(t, env, u); got != want {
			t.Errorf("systemctl is-enabled %s = %q, want %q", u, got, want)
		}
	}
	// Where systemctl points links: /lib up to bookworm, /usr/lib from
	// trixie (systemd 255 dropped split /usr); testServiceVsSystemctl
	// compares with the image's own systemctl.
	if l, _ := os.Readlink(filepath.Join(env.Root.Dir(), "etc/systemd/system/sshd.service")); l != "/lib/systemd/system/ssh.service" && l != "/usr/lib/systemd/system/ssh.service" {
		t.Errorf("alias sshd.service links to %q", l)
	}
	// A unit of the image's own, as a file step writes it.
	unit := "[Unit]\nDescription=test\nBefore=ssh.service\n[Service]\nType=oneshot\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"
	os.WriteFile(filepath.Join(env.Root.Dir(), "etc/systemd/system/oc-test.service"), []byte(unit), 0o644)
	mustApply(t, env, "service", `enable = ["oc-test.service"]`)
	if got := isEnabled(t, env, "oc-test.service"); got != "enabled" {
		t.Errorf("oc-test.service is %q", got)
	}
	if l, _ := os.Readlink(filepath.Join(env.Root.Dir(), "etc/systemd/system/multi-user.target.wants/oc-test.service")); l != "/etc/systemd/system/oc-test.service" {
		t.Errorf("multi-user.target.wants/oc-test.service links to %q", l)
	}
	wantErr(t, applyStep(t, env, "service", `enable = ["nope.service"]`), "nope.service")
	wantErr(t, applyStep(t, env, "service", `enable = ["systemd-journald.service"]`), "systemd-journald.service", "[Install]")
	wantErr(t, applyStep(t, env, "service", `enable = ["apt-daily.timer"]`), "apt-daily.timer", "masked")
	mustApply(t, env, "service", `disable = ["systemd-networkd.service"]`)
	if got := isEnabled(t, env, "systemd-networkd.socket"); got != "disabled" {
		t.Errorf("disable follows Also=: systemd-networkd.socket is %q", got)
	}
}

// unitLinks lists the symlinks under /etc/systemd/system and their
// targets, as written (/lib or /usr/lib).
func unitLinks(t *testing.T, env *Env) map[string]string {
	t.Helper()
	base := filepath.Join(env.Root.Dir(), "etc/systemd/system")
	links := map[string]string{}
	filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			rel, _ := filepath.Rel(base, p)
			links[rel] = target
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
	mustApply(t, env, "service", "disable = "+list)
	base := unitLinks(t, env)
	mustApply(t, env, "service", "enable = "+list)
	ours := diffLinks(base, unitLinks(t, env))
	mustApply(t, env, "service", "disable = "+list)
	if d := diffLinks(base, unitLinks(t, env)); len(d) != 0 {
		t.Errorf("disable did not undo enable: %v", d)
	}
	runInRoot(t, env, append([]string{"systemctl", "enable"}, units...)...)
	real := diffLinks(base, unitLinks(t, env))
	if len(real) == 0 || !maps.Equal(ours, real) {
		t.Errorf("links made by the service step:\n%v\nby systemctl enable:\n%v", ours, real)
	}
}

func TestServiceCheck(t *testing.T) {
	s := decodeStep(t, "service", `enable = ["ssh.service", "serial-getty@ttyS0.service"]
mask = ["getty@tty1.service"]`).(*Service)
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got, want := s.Summary(), "services: enable ssh.service, serial-getty@ttyS0.service; mask getty@tty1.service"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	plain := Service{Enable: []string{"ssh", "getty@tty2"}, Mask: []string{"apt-daily.timer"}}
	if err := plain.Check(); err != nil {
		t.Errorf("names without suffix: %v", err)
	}
	if got, want := plain.Summary(), "services: enable ssh.service, getty@tty2.service; mask apt-daily.timer"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		name string
		s    Service
		attr string
	}{
		{"nothing", Service{}, ""},
		{"slash", Service{Enable: []string{"../../etc/passwd.service"}}, "enable"},
		{"empty", Service{Disable: []string{""}}, "disable"},
		{"dotdot", Service{Mask: []string{"a..b.service"}}, "mask"},
		{"contradiction", Service{Enable: []string{"a.service"}, Mask: []string{"a.service"}}, "enable"},
		{"contradiction without suffix", Service{Enable: []string{"a"}, Disable: []string{"a.service"}}, "enable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := check.Fields(tc.s.Check())
			if len(fields) != 1 || fields[0].Attr != tc.attr {
				t.Fatalf("Check() = %v, want one error on %q", fields, tc.attr)
			}
		})
	}
}
