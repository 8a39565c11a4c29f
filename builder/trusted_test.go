package builder_test

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInsecureNotTrustedInImage builds from the Debian mirror with
// insecure = true: the build's own steps see the archive marked Trusted
// (a step checks it), the finished image's apt sources do not carry it.
func TestInsecureNotTrustedInImage(t *testing.T) {
	def := t.TempDir()
	src := `image "insecure" {
  bootstrap {
    distribution = "debian"
    suite        = "bookworm"
    arch         = "amd64"
    variant      = "minbase"
    insecure     = true
  }
  provision "exec" {
    argv = ["grep", "-qx", "Trusted: yes", "/etc/apt/sources.list.d/debian.sources"]
  }
  output "tar" {
    path = "rootfs.tar"
  }
}
`
	if err := os.WriteFile(filepath.Join(def, "image.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustBuild(t, def, nil)
	sources := tarFile(t, filepath.Join(r.out, "rootfs.tar"), "etc/apt/sources.list.d/debian.sources")
	if strings.Contains(sources, "Trusted") || !strings.Contains(sources, "Suites: bookworm\n") {
		t.Errorf("the image's apt sources read:\n%s", sources)
	}
}

// tarFile returns the content of name in the tar at path.
func tarFile(t *testing.T, path, name string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not in %s: %v", name, path, err)
		}
		if strings.TrimPrefix(h.Name, "./") == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}
