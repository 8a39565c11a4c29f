package debootstrap

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPackageSetFollowsPackagesNotRelease resolves the base of the local
// repository, then changes the archive twice: a new package nobody needs
// (a new InRelease, the same set: the cached base stays valid) and a new
// version of a package of the base (a different set).
func TestPackageSetFollowsPackagesNotRelease(t *testing.T) {
	r := newTestRepo(t, localPkgs)
	opt := Options{Distribution: "debian", Suite: "test", Arch: "amd64", Mirror: r.Server.URL,
		Keyring: r.Keyring, CacheDir: t.TempDir(), Log: io.Discard}
	resolve := func(include ...string) []PackageID {
		t.Helper()
		a, err := OpenArchive(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		set, err := a.Resolve(include)
		if err != nil {
			t.Fatal(err)
		}
		return set
	}
	before := resolve()
	if len(before) != 3 || before[0].Name != "base" || before[0].Version != "1.0" || before[0].Architecture != "amd64" || len(before[0].SHA256) != 64 {
		t.Fatalf("base set = %v", before)
	}
	if with := resolve("tool"); len(with) != 5 {
		t.Errorf("base with tool = %v, want base, libc, mawk, tool and libfoo", with)
	}
	release := func() []byte { b, _ := os.ReadFile(filepath.Join(r.Dir, "dists/test/InRelease")); return b }
	old := release()
	r.AddPackage(t, testPkg{Name: "unrelated", Version: "1", Fields: "Priority: optional\n"})
	if slices.Equal(old, release()) {
		t.Fatal("the archive's InRelease did not change")
	}
	if after := resolve(); !slices.Equal(before, after) {
		t.Errorf("an unrelated package changed the set:\n%v\n%v", before, after)
	}
	r.AddPackage(t, testPkg{Name: "libc", Version: "2.37", Fields: "Priority: optional\n", Files: map[string]string{"usr/lib/libc.so": "elf2"}})
	if after := resolve(); slices.Equal(before, after) {
		t.Errorf("a new libc left the set as it was: %v", after)
	}
}
