package boot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/chroot"
)

func TestLoginConsoleFromTheImage(t *testing.T) {
	root := t.TempDir()
	wants := filepath.Join(root, "etc/systemd/system/getty.target.wants")
	os.MkdirAll(wants, 0o755)
	r, err := chroot.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := imageConsoles(r); len(got) != 0 {
		t.Fatalf("no getty: %v", got)
	}
	os.Symlink("/usr/lib/systemd/system/serial-getty@.service", filepath.Join(wants, "serial-getty@ttyS0.service"))
	info := &ImageInfo{Arch: "arm64", Consoles: imageConsoles(r)}
	if strings.Join(info.Consoles, " ") != "ttyS0" {
		t.Fatalf("consoles %v, want ttyS0", info.Consoles)
	}
	virt, _ := arch.BootOn(arch.MustLookup("amd64"), arch.MustLookup("arm64"), false)
	_, err = loginConsole(info, virt)
	if err == nil || !strings.Contains(err.Error(), "serial getty is on ttyS0") || !strings.Contains(err.Error(), "ttyAMA0") {
		t.Fatalf("ttyS0 getty on an ARM virt machine: %v", err)
	}
	pc, _ := arch.BootOn(arch.MustLookup("amd64"), arch.MustLookup("amd64"), false)
	if c, err := loginConsole(&ImageInfo{Arch: "amd64", Consoles: info.Consoles}, pc); err != nil || c != "ttyS0" {
		t.Fatalf("ttyS0 getty on a PC: %q, %v", c, err)
	}
	if c, err := loginConsole(&ImageInfo{Arch: "arm64"}, virt); err != nil || c != "ttyAMA0" {
		t.Fatalf("no getty on ARM virt: %q, %v (want the kernel console)", c, err)
	}
}
