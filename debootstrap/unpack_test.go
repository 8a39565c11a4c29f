package debootstrap

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestUnpackDebCompressions unpacks real .debs made by dpkg-deb with
// Debian's xz and Ubuntu's zstd data archives.
func TestUnpackDebCompressions(t *testing.T) {
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	for _, z := range []string{"xz", "zstd", "gzip"} {
		t.Run(z, func(t *testing.T) {
			src := t.TempDir()
			writeFile(t, filepath.Join(src, "DEBIAN/control"), []byte("Package: hello\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: t\n"))
			writeFile(t, filepath.Join(src, "usr/share/hello/greeting"), []byte("hello "+z))
			os.Symlink("greeting", filepath.Join(src, "usr/share/hello/link"))
			deb := filepath.Join(t.TempDir(), "hello.deb")
			if out, err := exec.Command(dpkgDeb, "--root-owner-group", "-Z"+z, "--build", src, deb).CombinedOutput(); err != nil {
				t.Fatalf("dpkg-deb -Z%s: %v: %s", z, err, out)
			}
			root := t.TempDir()
			x, err := openExtractor(root)
			if err != nil {
				t.Fatal(err)
			}
			defer x.close()
			if err := x.unpackDeb(deb, "hello"); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(root, "usr/share/hello/link"))
			if err != nil || string(got) != "hello "+z {
				t.Errorf("unpacked link reads %q, %v", got, err)
			}
		})
	}
}
