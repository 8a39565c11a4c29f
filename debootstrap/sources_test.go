package debootstrap

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteSources(t *testing.T) {
	tests := []struct {
		name, file, want string
		opt              Options
	}{
		{"debian", "debian.sources", "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
			Options{Distribution: "debian", Suite: "bookworm", Arch: "arm64"}},
		{"ubuntu ports", "ubuntu.sources", "Types: deb\nURIs: http://ports.ubuntu.com/ubuntu-ports\nSuites: noble\nComponents: main universe\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n",
			Options{Distribution: "ubuntu", Suite: "noble", Arch: "armhf"}},
		{"insecure", "debian.sources", "Types: deb\nURIs: http://localhost/d\nSuites: test\nComponents: main\nTrusted: yes\n",
			Options{Suite: "test", Arch: "amd64", Mirror: "http://localhost/d", Insecure: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.CacheDir = t.TempDir()
			b, err := newBuilder(t.TempDir(), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			b.root = openRoot(t, b.dir)
			if err := writeSources(b); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(b.dir, "etc/apt/sources.list.d", tc.file))
			if err != nil || string(got) != tc.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
}

// TestUbuntuAsksForUniverse runs the Ubuntu code path against the local
// repository: Ubuntu's default components include universe, which the
// Release must list.
func TestUbuntuAsksForUniverse(t *testing.T) {
	r := newTestRepo(t, localPkgs[:3])
	_, err := Bootstrap(context.Background(), filepath.Join(t.TempDir(), "root"), Options{
		Distribution: "ubuntu", Suite: "test", Arch: "amd64", Mirror: r.Server.URL, Keyring: r.Keyring,
		CacheDir: t.TempDir(), Log: io.Discard,
	})
	if err == nil || !strings.Contains(err.Error(), "component universe is not in suite test") {
		t.Errorf("got %v", err)
	}
}

// TestFinishSources takes the build's Trusted: yes out of an insecure
// archive's sources, unless TrustedInImage, and leaves a signed archive's
// alone.
func TestFinishSources(t *testing.T) {
	tests := []struct {
		name    string
		opt     Options
		trusted bool
	}{
		{"insecure", Options{Insecure: true}, false},
		{"trusted in image", Options{Insecure: true, TrustedInImage: true}, true},
		{"signed", Options{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Suite, tc.opt.Arch, tc.opt.Mirror, tc.opt.CacheDir = "test", "amd64", "http://localhost/d", t.TempDir()
			b, err := newBuilder(t.TempDir(), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			b.root = openRoot(t, b.dir)
			if err := writeSources(b); err != nil {
				t.Fatal(err)
			}
			before, _ := b.root.ReadFile("/etc/apt/sources.list.d/debian.sources")
			if err := FinishSources(b.root, tc.opt); err != nil {
				t.Fatal(err)
			}
			got, _ := b.root.ReadFile("/etc/apt/sources.list.d/debian.sources")
			if strings.Contains(string(got), "Trusted: yes") != tc.trusted {
				t.Errorf("finished sources:\n%s", got)
			}
			if want := strings.Replace(string(before), "Trusted: yes\n", "", 1); !tc.trusted && string(got) != want {
				t.Errorf("finished sources:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	if err := FinishSources(openRoot(t, t.TempDir()), Options{Insecure: true}); err != nil {
		t.Errorf("a root without the sources file: %v", err)
	}
}
