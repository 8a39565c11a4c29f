package debootstrap

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestBootstrapUnpackOnly unpacks bookworm's essential set for arm64 from
// the Debian mirror with UnpackOnly: every package's files are in the
// root, built for arm64, and no maintainer script or dpkg ran (base-passwd's
// preinst would have written /etc/passwd, dpkg its status file).
func TestBootstrapUnpackOnly(t *testing.T) {
	testenv.RequireRoot(t)
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	dir := filepath.Join(t.TempDir(), "root")
	res, err := Bootstrap(context.Background(), dir, Options{
		Distribution: "debian", Suite: "bookworm", Arch: "arm64", Variant: "essential",
		Include: []string{"kmod"}, Mirror: debianMirror, CacheDir: testCache(), Log: testLog{t},
		UnpackOnly: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Packages {
		if _, err := os.Lstat(filepath.Join(dir, "usr/share/doc", p)); err != nil {
			t.Errorf("package %s not unpacked: %v", p, err)
		}
	}
	for _, prog := range []string{"usr/bin/dpkg", "bin/kmod"} {
		head := make([]byte, 64)
		f, err := os.Open(filepath.Join(dir, prog))
		if err != nil {
			t.Fatalf("unpacked root: %v", err)
		}
		f.Read(head)
		f.Close()
		if a := arch.FromELF(head); a == nil || a.Debian != "arm64" {
			t.Errorf("%s is not an arm64 program: %v", prog, a)
		}
	}
	for _, made := range []string{"etc/passwd", "var/lib/dpkg/status"} {
		if _, err := os.Lstat(filepath.Join(dir, made)); err == nil {
			t.Errorf("%s exists: a maintainer script or dpkg ran", made)
		}
	}
}
