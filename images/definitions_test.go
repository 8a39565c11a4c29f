package images_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/provision"
)

// load loads a definition with fixed variables and fails the test on any
// diagnostic.
func load(t *testing.T, path string, vars map[string]string) *hcl.Image {
	t.Helper()
	img, diags := hcl.Load(path, hcl.LoadOptions{Vars: vars, Env: []string{"SOURCE_DATE_EPOCH=1700000000"}})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %s", path, diags.Error())
	}
	return img
}

// steps returns the steps of the given kind.
func steps[T provision.Step](img *hcl.Image) []T {
	var out []T
	for _, s := range img.Steps {
		if v, ok := s.Step.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestDefinitionsLoad(t *testing.T) {
	for _, c := range []struct {
		path string
		vars map[string]string
		dist string
		suit string
		arch string
	}{
		{"debian", nil, "debian", "trixie", "amd64"},
		{"debian", map[string]string{"suite": "bookworm", "arch": "arm64"}, "debian", "bookworm", "arm64"},
		{"debian", map[string]string{"arch": "armhf"}, "debian", "trixie", "armhf"},
		{"ubuntu", nil, "ubuntu", "noble", "amd64"},
		{"ubuntu", map[string]string{"suite": "jammy", "arch": "arm64"}, "ubuntu", "jammy", "arm64"},
		{"rescue", nil, "debian", "trixie", "amd64"},
		{"../examples/docker-host", nil, "debian", "trixie", "amd64"},
	} {
		t.Run(c.path+"/"+c.suit+"/"+c.arch, func(t *testing.T) {
			img := load(t, c.path, c.vars)
			b := img.Bootstrap
			if b.Distribution != c.dist || b.Suite != c.suit || b.Arch != c.arch {
				t.Errorf("bootstrap %s/%s/%s, want %s/%s/%s", b.Distribution, b.Suite, b.Arch, c.dist, c.suit, c.arch)
			}
			if b.Variant != "minbase" {
				t.Errorf("variant %q, want minbase", b.Variant)
			}
			for _, p := range []string{"systemd-sysv", "openssh-server", "locales", "ifupdown", "isc-dhcp-client", "systemd-timesyncd", "curl", "nbd-client", "kmod", "udev"} {
				if !slices.Contains(b.Include, p) {
					t.Errorf("bootstrap does not include %s", p)
				}
			}
			if c.dist == "ubuntu" && !slices.Contains(b.Components, "universe") {
				t.Errorf("ubuntu components %v lack universe", b.Components)
			}
			wantMirror := map[string]string{"debian": "http://deb.debian.org/debian", "ubuntu": "http://archive.ubuntu.com/ubuntu"}[c.dist]
			if c.dist == "ubuntu" && c.arch != "amd64" {
				wantMirror = "http://ports.ubuntu.com/ubuntu-ports"
			}
			if b.Mirror != wantMirror {
				t.Errorf("mirror %q, want %q", b.Mirror, wantMirror)
			}
			if last := img.Steps[len(img.Steps)-1]; last.Kind != "cleanup" {
				t.Errorf("last step is %s at %s, want cleanup", last.Kind, last.Range)
			}
		})
	}
}

// TestChecklistSteps checks that the definitions carry a step for every
// item of the check list, with the values the list asks for.
func TestChecklistSteps(t *testing.T) {
	for _, name := range []string{"debian", "ubuntu"} {
		t.Run(name, func(t *testing.T) {
			img := load(t, name, map[string]string{"ntp_server": "ntp.example.net"})
			if s := steps[*provision.Sysctl](img); len(s) != 1 || s[0].Values["vm.min_free_kbytes"] != "65536" {
				t.Errorf("sysctl steps %+v", s)
			}
			if s := steps[*provision.NTP](img); len(s) != 1 || !slices.Equal(s[0].Servers, []string{"ntp.example.net"}) || len(s[0].Fallback) == 0 {
				t.Errorf("ntp steps %+v", s)
			}
			ssh := steps[*provision.SSHServer](img)
			if len(ssh) != 1 || ssh[0].PasswordAuthentication || !ssh[0].PubkeyAuthentication ||
				ssh[0].PermitRootLogin != "prohibit-password" || len(ssh[0].AcceptEnv) != 0 {
				t.Errorf("ssh_server steps %+v", ssh)
			}
			if s := steps[*provision.Locale](img); len(s) != 1 || s[0].Default != "en_US.UTF-8" || !slices.Contains(s[0].Generate, "en_US.UTF-8") {
				t.Errorf("locale steps %+v", s)
			}
			if s := steps[*provision.Network](img); len(s) != 1 || len(s[0].Interfaces) != 1 || s[0].Interfaces[0].Name != "eth0" || !s[0].Interfaces[0].DHCP {
				t.Errorf("network steps %+v", s)
			}
			if s := steps[*provision.Console](img); len(s) != 1 || s[0].Serial != "ttyS0" || s[0].Baud != 9600 || !s[0].DisableVTs {
				t.Errorf("console steps %+v", s)
			}
			var enabled []string
			for _, s := range steps[*provision.Service](img) {
				enabled = append(enabled, s.Enable...)
			}
			for _, u := range []string{"oc-ssh-host-keys.service", "oc-fetch-ssh-keys.service", "oc-sync-kernel-modules.service", "oc-add-extra-volumes.service"} {
				if !slices.Contains(enabled, u) {
					t.Errorf("%s is not enabled", u)
				}
			}
			files := map[string]*provision.File{}
			for _, f := range steps[*provision.File](img) {
				files[f.Path] = f
			}
			rel := files["/etc/ocs-release"]
			if rel == nil || rel.Content == nil {
				t.Fatal("no /etc/ocs-release content")
			}
			for _, k := range []string{"IMAGE_ID=", "IMAGE_RELEASE=2023-11-14\n", "IMAGE_CODENAME=" + name + "-", "IMAGE_DOC_URL=", "IMAGE_HELP_URL=", "IMAGE_SOURCE_URL="} {
				if !strings.Contains(*rel.Content, k) {
					t.Errorf("/etc/ocs-release lacks %q:\n%s", k, *rel.Content)
				}
			}
			for _, p := range helperPaths {
				f := files[p]
				if f == nil {
					t.Errorf("no file step installs %s", p)
					continue
				}
				if _, err := os.Stat(filepath.Join("common", f.Source)); err != nil {
					t.Errorf("%s: %v", p, err)
				}
			}
		})
	}
}

// helperPaths are the helper programs every official image installs.
var helperPaths = []string{
	"/usr/local/bin/oc-metadata",
	"/usr/local/sbin/oc-fetch-ssh-keys",
	"/usr/local/sbin/oc-ssh-host-keys",
	"/usr/local/sbin/oc-sync-kernel-modules",
	"/usr/local/sbin/oc-add-extra-volumes",
	"/etc/dhcp/dhclient-exit-hooks.d/hostname",
	"/lib/systemd/system-shutdown/oc-nbd-disconnect",
	"/etc/systemd/system/oc-ssh-host-keys.service",
	"/etc/systemd/system/oc-fetch-ssh-keys.service",
	"/etc/systemd/system/oc-sync-kernel-modules.service",
	"/etc/systemd/system/oc-add-extra-volumes.service",
}

func TestBadVariablesRefused(t *testing.T) {
	for _, c := range []struct{ path, name, value string }{
		{"debian", "suite", "buster"}, {"debian", "arch", "mips"}, {"ubuntu", "suite", "focal"},
	} {
		_, diags := hcl.Load(c.path, hcl.LoadOptions{Vars: map[string]string{c.name: c.value}})
		if !diags.HasErrors() {
			t.Errorf("%s with %s=%s loaded without error", c.path, c.name, c.value)
		}
	}
}

// TestConsolePerArchitecture: the official images put the serial getty on
// the architecture's console (ttyS0 on a PC, ttyAMA0 on ARM virt), and
// var.console overrides it.
func TestConsolePerArchitecture(t *testing.T) {
	for _, name := range []string{"debian", "ubuntu"} {
		for vars, want := range map[[2]string]string{
			{"amd64", ""}: "ttyS0", {"arm64", ""}: "ttyAMA0", {"armhf", ""}: "ttyAMA0", {"arm64", "ttyS2"}: "ttyS2",
		} {
			img := load(t, name, map[string]string{"arch": vars[0], "console": vars[1]})
			if s := steps[*provision.Console](img); len(s) != 1 || s[0].Serial != want {
				t.Errorf("%s, arch %s, console %q: console steps %+v, want serial %s", name, vars[0], vars[1], s, want)
			}
		}
	}
}
