package debootstrap

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/canary"
)

// TestHostPathsStayInRoot plants, at every path the bootstrap writes
// host-side inside the root, a symlink to a host canary (a folder, or the
// file in it), runs the writer, and checks the canary is untouched: each
// path is resolved inside the root, so the writer either writes inside
// it or fails.
func TestHostPathsStayInRoot(t *testing.T) {
	repo := newTestRepo(t, []testPkg{{Name: "hello", Version: "1", Files: map[string]string{"usr/share/hello/f": "x"}}})
	hello := &Package{Name: "hello"}
	tests := []struct {
		name  string
		links func(c *canary.Canary) map[string]string
		write func(b *builder) error
	}{
		{"dpkg status", func(c *canary.Canary) map[string]string { return map[string]string{"var/lib/dpkg/status": c.File} },
			func(b *builder) error { return initDpkgDB(b.root) }},
		{"dpkg info", func(c *canary.Canary) map[string]string { return map[string]string{"var/lib/dpkg/info": ""} },
			func(b *builder) error { return initDpkgDB(b.root) }},
		{"package links", func(c *canary.Canary) map[string]string { return map[string]string{debDir[1:]: ""} },
			func(b *builder) error {
				_, err := linkDebs(b.root, []*Package{hello}, map[string]debFile{"hello": {path: repo.Debs["hello"]}})
				return err
			}},
		{"repacked deb", func(c *canary.Canary) map[string]string {
			return map[string]string{debDir[1:] + "/repacked/hello.deb": c.File}
		},
			func(b *builder) error {
				return b.unpackRepack(repo.Debs["hello"], "hello", debFile{path: debDir + "/repacked/hello.deb"}, repackHow{extract: true})
			}},
		{"sources.list.d", func(c *canary.Canary) map[string]string { return map[string]string{"etc/apt/sources.list.d": ""} },
			writeSources},
		{"sources file", func(c *canary.Canary) map[string]string {
			return map[string]string{"etc/apt/sources.list.d/debian.sources": c.File}
		}, writeSources},
		{"keyrings", func(c *canary.Canary) map[string]string { return map[string]string{"etc/apt/keyrings": ""} },
			func(b *builder) error { b.opt.Keyring, b.keyData = repo.Keyring, []byte("key"); return writeSources(b) }},
		{"fstab", func(c *canary.Canary) map[string]string { return map[string]string{"etc": ""} }, writeFstab},
		{"merged usr", func(c *canary.Canary) map[string]string { return map[string]string{"usr": ""} },
			func(b *builder) error { return setupMergedUsr(b.root, "amd64") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := canary.New(t)
			b := plantedBuilder(t, c, tc.links(c))
			err := tc.write(b)
			t.Logf("writer returned: %v", err)
			c.Check(t)
		})
	}
}

// plantedBuilder returns a builder over a fresh root holding links.
func plantedBuilder(t *testing.T, c *canary.Canary, links map[string]string) *builder {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "root")
	c.Plant(t, dir, links)
	b, err := newBuilder(dir, Options{Distribution: "debian", Suite: "test", Arch: "amd64", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	b.root = openRoot(t, dir)
	x, err := openExtractor(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(x.close)
	b.extract = x
	return b
}

// TestBootstrapHostileSymlinks bootstraps from a signed archive whose
// essential package ships var/lib/dpkg, the package folder and
// etc/apt/sources.list.d as symlinks to a host canary: the bootstrap
// fails (the archive has no dpkg) but the canary is untouched.
func TestBootstrapHostileSymlinks(t *testing.T) {
	c := canary.New(t)
	pkgs := []testPkg{{Name: "base", Version: "1", Fields: "Essential: yes\nPriority: required\n",
		Files: map[string]string{"usr/bin/base": "#!/bin/sh\n"},
		Links: map[string]string{"var/lib/dpkg": c.Dir, "etc/apt/sources.list.d": c.Dir, "etc/fstab": c.File}}}
	r := newTestRepo(t, pkgs)
	dir := filepath.Join(t.TempDir(), "root")
	_, err := Bootstrap(context.Background(), dir, Options{Distribution: "debian", Suite: "test", Arch: "amd64",
		Mirror: r.Server.URL, Keyring: r.Keyring, CacheDir: t.TempDir(), Log: io.Discard})
	if err == nil {
		t.Fatal("bootstrap of an archive without dpkg succeeded")
	}
	t.Logf("bootstrap failed as expected: %v", strings.SplitN(err.Error(), "\n", 2)[0])
	c.Check(t)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("half-built root left behind: %v", err)
	}
}
