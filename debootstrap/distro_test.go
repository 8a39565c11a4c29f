package debootstrap

import (
	"encoding/hex"
	"slices"
	"strings"
	"testing"
)

// Ubuntu's mirrors are not reachable from the test machines, so what
// differs for Ubuntu is tested here: keyring, mirrors, components,
// merged /usr.
func TestUbuntuDefaults(t *testing.T) {
	d, err := lookupDistro("ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	for arch, want := range map[string]string{
		"amd64": "http://archive.ubuntu.com/ubuntu",
		"arm64": "http://ports.ubuntu.com/ubuntu-ports",
		"armhf": "http://ports.ubuntu.com/ubuntu-ports",
	} {
		if got := d.mirror(arch); got != want {
			t.Errorf("mirror for %s: %s, want %s", arch, got, want)
		}
	}
	if !slices.Equal(d.components, []string{"main", "universe"}) {
		t.Errorf("components %v", d.components)
	}
	for _, suite := range []string{"jammy", "noble"} {
		if !d.mergedUsr(suite) {
			t.Errorf("%s should get a merged /usr", suite)
		}
	}
	if d.mergedUsr("bionic") {
		t.Error("bionic has a split /usr")
	}
}

func TestShippedKeyrings(t *testing.T) {
	tests := []struct {
		distro, fingerprint, uid string
	}{
		{"ubuntu", "F6ECB3762474EDA9D21B7022871920D1991BC93C", "Ubuntu Archive Automatic Signing Key (2018)"},
		{"debian", "B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8", "Debian Archive Automatic Signing Key (12/bookworm)"},
	}
	for _, tc := range tests {
		t.Run(tc.distro, func(t *testing.T) {
			d, _ := lookupDistro(tc.distro)
			keys, _, err := loadKeyring(d, "")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, k := range keys {
				fp := strings.ToUpper(hex.EncodeToString(k.PrimaryKey.Fingerprint))
				for name := range k.Identities {
					if fp == tc.fingerprint && strings.Contains(name, tc.uid) {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("keyring of %s lacks %s (%s)", tc.distro, tc.fingerprint, tc.uid)
			}
		})
	}
}

func TestMergedDirs(t *testing.T) {
	if got := mergedDirs("amd64"); !slices.Equal(got, []string{"bin", "sbin", "lib", "lib32", "lib64", "libx32"}) {
		t.Errorf("amd64: %v", got)
	}
	if got := mergedDirs("arm64"); !slices.Equal(got, []string{"bin", "sbin", "lib"}) {
		t.Errorf("arm64: %v", got)
	}
}

func TestParseProvides(t *testing.T) {
	got := parseProvides("awk, libfoo-abi (= 1.2-3), c-shell:any ,x (=2)")
	want := [][2]string{{"awk", ""}, {"libfoo-abi", "1.2-3"}, {"c-shell", ""}, {"x", "2"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDefaultMirror(t *testing.T) {
	for _, tc := range []struct{ distro, arch, want string }{
		{"", "arm64", "http://deb.debian.org/debian"},
		{"ubuntu", "amd64", "http://archive.ubuntu.com/ubuntu"},
		{"ubuntu", "armhf", "http://ports.ubuntu.com/ubuntu-ports"},
	} {
		if got, err := DefaultMirror(tc.distro, tc.arch); err != nil || got != tc.want {
			t.Errorf("DefaultMirror(%q, %q) = %q, %v; want %q", tc.distro, tc.arch, got, err, tc.want)
		}
	}
	if _, err := DefaultMirror("arch", "amd64"); err == nil {
		t.Error("unknown distribution accepted")
	}
}
