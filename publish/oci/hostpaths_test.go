package oci

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDetectPlatformStaysInRoot gives a root folder whose dpkg files and
// shell are absolute symlinks to host files: the platform must not be
// read from the host's.
func TestDetectPlatformStaysInRoot(t *testing.T) {
	host := t.TempDir()
	os.WriteFile(filepath.Join(host, "arch"), []byte("s390x\n"), 0o644)
	os.WriteFile(filepath.Join(host, "status"), []byte("Package: dpkg\nArchitecture: s390x\n"), 0o644)
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755)
	os.MkdirAll(filepath.Join(root, "bin"), 0o755)
	for name, target := range map[string]string{
		"var/lib/dpkg/arch": filepath.Join(host, "arch"), "var/lib/dpkg/status": filepath.Join(host, "status"),
		"bin/sh": "/bin/sh",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	p, err := DetectPlatform(root)
	if err == nil {
		t.Fatalf("read the platform %s through the root's symlinks to host files", p.String())
	}
}
