package boot_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// fakeRoot is just enough of an image for boot to read its distribution,
// architecture and serial getty.
func fakeRoot(t *testing.T, debArch, getty string) string {
	root := t.TempDir()
	wants := filepath.Join(root, "etc/systemd/system/getty.target.wants")
	os.MkdirAll(wants, 0o755)
	os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/os-release"), []byte("ID=debian\nVERSION_CODENAME=bookworm\n"), 0o644)
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte("Package: dpkg\nStatus: install ok installed\nArchitecture: "+debArch+"\n"), 0o644)
	os.Symlink("/usr/lib/systemd/system/serial-getty@.service", filepath.Join(wants, "serial-getty@"+getty+".service"))
	return root
}

// TestBootConsoleNotOnTheMachine: an arm64 image whose getty is on ttyS0
// (a PC's port) fails before anything boots, quoting the console.
func TestBootConsoleNotOnTheMachine(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "qemu-system-aarch64")
	_, err := boot.Run(context.Background(), boot.Options{Image: fakeRoot(t, "arm64", "ttyS0"), CacheDir: t.TempDir(), Timeout: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "serial getty is on ttyS0") || !strings.Contains(err.Error(), "ttyAMA0") {
		t.Fatalf("a ttyS0 getty on an ARM virt machine: %v", err)
	}
}

// TestBootMissingQEMUNamesThePackage: without qemu-system-arm, booting an
// armhf image says which Debian package to install, before preparing
// anything.
func TestBootMissingQEMUNamesThePackage(t *testing.T) {
	testenv.RequireRoot(t)
	bin := t.TempDir()
	for _, tool := range []string{"cp", "tar"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		os.Symlink(p, filepath.Join(bin, tool))
	}
	t.Setenv("PATH", bin)
	_, err := boot.Run(context.Background(), boot.Options{Image: fakeRoot(t, "armhf", "ttyAMA0"), CacheDir: t.TempDir(), Timeout: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "qemu-system-arm") || !strings.Contains(err.Error(), "install Debian's qemu-system-arm") {
		t.Fatalf("booting armhf without QEMU: %v", err)
	}
}
