package debootstrap

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// TestBootstrapFailureRemovesRoot makes Bootstrap fail in the resolver,
// while downloading and before anything is fetched, and checks that each
// error names the culprit, the half-built root is gone and the cache
// holds only complete, verified files.
func TestBootstrapFailureRemovesRoot(t *testing.T) {
	r := newTestRepo(t, localPkgs)
	cache := t.TempDir()
	opt := func() Options {
		return Options{Distribution: "debian", Suite: "test", Arch: "amd64", Mirror: r.Server.URL,
			Keyring: r.Keyring, CacheDir: cache, Log: io.Discard}
	}
	libc, _ := os.ReadFile(r.Debs["libc"])
	bad := append([]byte(nil), libc...)
	bad[len(bad)-1] ^= 0xff
	tests := []struct {
		name  string
		setup func(*Options)
		err   string
	}{
		{"unsatisfiable include", func(o *Options) { o.Include = []string{"wrapper"} }, "needed by wrapper -> broken"},
		{"tampered deb", func(o *Options) { os.WriteFile(r.Debs["libc"], bad, 0o644) }, "/pool/main/libc_2.36_amd64.deb: checksum mismatch"},
		{"unknown suite", func(o *Options) { o.Suite = "nosuch" }, "suite nosuch not found on " + r.Server.URL},
		{"unknown distribution", func(o *Options) { o.Distribution = "fedora" }, `unknown distribution "fedora"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "root")
			o := opt()
			tc.setup(&o)
			_, err := Bootstrap(context.Background(), dir, o)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want an error containing %q", err, tc.err)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("half-built root left behind: %v", err)
			}
			checkCache(t, cache)
		})
	}
}

// checkCache verifies that every cached file matches its name and that
// no partial download is left.
func checkCache(t *testing.T, dir string) {
	t.Helper()
	filepath.Walk(filepath.Join(dir, "sha256"), func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		if got, _ := filehash.Sum(p); got != fi.Name() {
			t.Errorf("cache entry %s holds sha256 %s", p, got)
		}
		return nil
	})
	if left, _ := filepath.Glob(filepath.Join(dir, "partial", "*")); len(left) > 0 {
		t.Errorf("partial downloads left: %v", left)
	}
}

func TestBootstrapRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "precious"), []byte("keep"), 0o644)
	_, err := Bootstrap(context.Background(), dir, Options{Suite: "bookworm", CacheDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "precious")); err != nil {
		t.Error("a file of the non-empty target was removed")
	}
}
