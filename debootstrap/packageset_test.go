package debootstrap

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestPackageSetFollowsPackagesNotRelease resolves the base of the local
// repository, then changes the archive twice: a new package nobody needs
// (a new InRelease, the same set: the cached base stays valid) and a new
// version of a package of the base (a different set).
func TestPackageSetFollowsPackagesNotRelease(t *testing.T) {
	r := newTestRepo(t, localPkgs)
	opt := Options{Distribution: "debian", Suite: "test", Arch: "amd64", Mirror: r.url(),
		Keyring: r.keyring, CacheDir: t.TempDir(), Log: io.Discard}
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
	release := func() []byte { b, _ := os.ReadFile(filepath.Join(r.dir, "dists/test/InRelease")); return b }
	old := release()
	r.addPackage(t, testPkg{name: "unrelated", version: "1", fields: "Priority: optional\n"})
	if slices.Equal(old, release()) {
		t.Fatal("the archive's InRelease did not change")
	}
	if after := resolve(); !slices.Equal(before, after) {
		t.Errorf("an unrelated package changed the set:\n%v\n%v", before, after)
	}
	r.addPackage(t, testPkg{name: "libc", version: "2.37", fields: "Priority: optional\n", files: map[string]string{"usr/lib/libc.so": "elf2"}})
	if after := resolve(); slices.Equal(before, after) {
		t.Errorf("a new libc left the set as it was: %v", after)
	}
}

// addPackage builds p, adds it to the index and signs the archive again.
func (r *testRepo) addPackage(t *testing.T, p testPkg) {
	t.Helper()
	index, err := os.ReadFile(filepath.Join(r.dir, "dists/test/main/binary-amd64/Packages"))
	if err != nil {
		t.Fatal(err)
	}
	deb := r.buildDeb(t, testenv.RequireTool(t, "dpkg-deb"), p)
	index = append(index, []byte(r.stanza(t, p, deb)+"\n")...)
	r.writeIndex(t, index)
	r.sign(t)
}
