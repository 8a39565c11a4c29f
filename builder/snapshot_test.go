package builder_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"golang.org/x/sys/unix"
)

// TestCacheOnOverlayfs puts the step cache folder on an overlayfs mount,
// where overlayfs cannot stack layers again: the build says it copies,
// rebuilds from the cache, and writes the same bytes as a build whose
// cache stacks overlays; a build with the step cache off (no overlay at
// all) writes them too.
func TestCacheOnOverlayfs(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	testenv.RequireRoot(t)
	dir := t.TempDir()
	for _, d := range []string{"lower", "upper", "work", "merged"} {
		os.Mkdir(filepath.Join(dir, d), 0o755)
	}
	merged := filepath.Join(dir, "merged")
	opts := "lowerdir=" + filepath.Join(dir, "lower") + ",upperdir=" + filepath.Join(dir, "upper") + ",workdir=" + filepath.Join(dir, "work")
	if err := unix.Mount("overlay", merged, "overlay", 0, opts); err != nil {
		t.Fatalf("mounting the overlayfs the cache goes on: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(merged, unix.MNT_DETACH) })
	def := definition(t)
	vars := map[string]string{"last": "copy " + strconv.FormatInt(time.Now().UnixNano(), 36)}
	steps := filepath.Join(merged, "steps")

	stacked := remoteBuild(t, def, stepCache(), "", "", vars)
	if !strings.Contains(stacked.log, "overlayfs layers") {
		t.Fatalf("the shared cache did not say it stacks overlays:\n%s", stacked.log)
	}
	// The same base in both caches: two bootstraps differ in files that
	// are random by nature, the steps' work must not.
	seedBase(t, def, vars, steps)
	first := remoteBuild(t, def, steps, "", "", vars)
	if !strings.Contains(first.log, "copied snapshots") {
		t.Fatalf("a cache on overlayfs did not say it copies:\n%s", first.log)
	}
	if got := ran(first.sum); len(got) != 4 {
		t.Fatalf("the copying build ran %v, want the four steps\n%s", got, first.log)
	}
	again := remoteBuild(t, def, steps, "", "", vars)
	if got := ran(again.sum); len(got) != 0 {
		t.Fatalf("the rebuild on a copying cache ran %v\n%s", got, again.log)
	}
	for name, r := range map[string]*result{"copied": first, "copied, rebuilt": again} {
		if r.tarSum != stacked.tarSum {
			t.Errorf("the %s build's rootfs.tar differs from the overlay build's", name)
		}
	}
	off := remoteBuild(t, def, "off", "", "", vars)
	if !strings.Contains(off.log, "without overlays") {
		t.Fatalf("--step-cache off did not say it builds without overlays:\n%s", off.log)
	}
	if a, b := tarNames(t, off.out), tarNames(t, stacked.out); a != b {
		t.Errorf("the build with the step cache off holds other files than the overlay build")
	}
}

// seedBase copies the shared cache's base layer of def into the cache
// folder steps.
func seedBase(t *testing.T, def string, vars map[string]string, steps string) {
	t.Helper()
	img, diags := hcl.Load(def, hcl.LoadOptions{Vars: vars})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	keys, err := builder.Keys(context.Background(), img, "/var/cache/chrootbuild")
	if err != nil {
		t.Fatal(err)
	}
	layers := filepath.Join(steps, "layers")
	os.MkdirAll(layers, 0o700)
	from := filepath.Join(stepCache(), "layers", string(keys[0]))
	if out, err := exec.Command("cp", "-a", from, from+".json", layers).CombinedOutput(); err != nil {
		t.Fatalf("seeding the base layer: %v\n%s", err, out)
	}
}

// tarNames lists the entries of dir's rootfs.tar.
func tarNames(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command("tar", "-tf", filepath.Join(dir, "rootfs.tar")).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
