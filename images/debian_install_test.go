package images_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/rootdiff"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestDebianFastInstallMatchesDpkg builds images/debian twice with the
// step cache off, its bootstrap once with dpkg unpacking everything after
// the essential set (the reference) and once with the fast install, and
// finds the same rootfs.tar contents: the same dpkg-query -W, dpkg
// --audit and --verify clean, every path with the same type, mode, owner
// and content but those that differ by nature (rootdiff.ByNature).
func TestDebianFastInstallMatchesDpkg(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mksquashfs")
	if testenv.Short() {
		t.Skip("builds images/debian from the mirror, twice")
	}
	var roots []string
	for _, withDpkg := range []bool{true, false} {
		b := buildImageWith(t, "debian", map[string]string{"arch": "amd64"}, func(img *hcl.Image, opt *builder.Options) {
			img.Bootstrap.InstallWithDpkg = withDpkg
			opt.StepCache = "off"
		})
		if b.out != "" {
			t.Cleanup(func() { os.RemoveAll(filepath.Dir(b.out)) })
		}
		if b.err != nil {
			t.Fatalf("building images/debian (dpkg unpacking: %v): %v", withDpkg, b.err)
		}
		roots = append(roots, b.dir)
	}
	ctx := context.Background()
	var queries []string
	for _, dir := range roots {
		if err := rootdiff.DpkgClean(ctx, dir); err != nil {
			t.Error(err)
		}
		q, err := rootdiff.DpkgQuery(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		queries = append(queries, q)
	}
	if queries[0] != queries[1] || strings.Count(queries[0], "\n") < 150 {
		t.Errorf("dpkg-query -W differs or is short:\n%s\n---\n%s", queries[0], queries[1])
	}
	diffs, err := rootdiff.Compare(ctx, roots[0], roots[1], rootdiff.ByNature)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
