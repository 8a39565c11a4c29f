package debootstrap

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/rootdiff"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestFastInstallMatchesDpkg bootstraps bookworm twice, once with dpkg
// unpacking everything after the essential set (debootstrap's way, the
// reference) and once with the fast install, and finds the same root:
// the same dpkg-query -W, dpkg --audit and --verify clean in both, and
// every path with the same type, mode, owner and content (dpkg's status
// and every info file included), except the paths that differ by nature
// (rootdiff.ByNature).
func TestFastInstallMatchesDpkg(t *testing.T) {
	testenv.RequireRoot(t)
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror, twice per variant")
	}
	for _, variant := range []string{"minbase", "standard"} {
		t.Run(variant, func(t *testing.T) {
			ref := bootstrapWith(t, variant, true)
			fast := bootstrapWith(t, variant, false)
			compareRoots(t, ref, fast)
		})
	}
}

func bootstrapWith(t *testing.T, variant string, withDpkg bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "root")
	_, err := Bootstrap(context.Background(), dir, Options{
		Distribution: "debian", Suite: "bookworm", Arch: "amd64", Variant: variant,
		Mirror: debianMirror, CacheDir: testCache(), Log: testLog{t}, InstallWithDpkg: withDpkg,
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func compareRoots(t *testing.T, ref, fast string) {
	t.Helper()
	ctx := context.Background()
	for _, dir := range []string{ref, fast} {
		if err := rootdiff.DpkgClean(ctx, dir); err != nil {
			t.Error(err)
		}
	}
	qa, err := rootdiff.DpkgQuery(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	qb, err := rootdiff.DpkgQuery(ctx, fast)
	if err != nil {
		t.Fatal(err)
	}
	if qa != qb || strings.Count(qa, "\n") < 80 {
		t.Errorf("dpkg-query -W differs or is short:\n%s\n---\n%s", qa, qb)
	}
	diffs, err := rootdiff.Compare(ctx, ref, fast, rootdiff.ByNature)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
