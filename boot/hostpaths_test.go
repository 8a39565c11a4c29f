package boot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/canary"
)

func openRoot(t *testing.T, dir string) *chroot.Root {
	t.Helper()
	r, err := chroot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBootDiskStaysInRoot plants symlinks to a host canary where the boot
// disk is prepared (the kernel's modules, the journald drop-in, the files
// inspect reads) and checks the canary is neither written nor read.
func TestBootDiskStaysInRoot(t *testing.T) {
	mods := t.TempDir()
	os.WriteFile(filepath.Join(mods, "modules.dep"), []byte("x"), 0o644)
	k := &Kernel{Version: "6.1.0-test", Modules: mods}
	t.Run("modules", func(t *testing.T) {
		c := canary.New(t)
		dir := t.TempDir()
		c.Plant(t, dir, map[string]string{"usr/lib/modules": ""})
		err := addModules(context.Background(), openRoot(t, dir), k)
		t.Logf("addModules: %v", err)
		c.Check(t)
	})
	t.Run("modules version", func(t *testing.T) {
		c := canary.New(t)
		dir := t.TempDir()
		c.Plant(t, dir, map[string]string{"usr/lib/modules/6.1.0-test": ""})
		err := addModules(context.Background(), openRoot(t, dir), k)
		t.Logf("addModules: %v", err)
		c.Check(t)
	})
	t.Run("journald drop-in", func(t *testing.T) {
		c := canary.New(t)
		dir := t.TempDir()
		c.Plant(t, dir, map[string]string{"etc/systemd/journald.conf.d": ""})
		err := journalDropIn(openRoot(t, dir), "ttyS1")
		t.Logf("journalDropIn: %v", err)
		c.Check(t)
	})
	t.Run("inspect", func(t *testing.T) {
		c := canary.New(t)
		dir := t.TempDir()
		c.Plant(t, dir, map[string]string{"etc/os-release": c.File, "var/lib/dpkg/status": c.File})
		os.MkdirAll(filepath.Join(dir, "usr/lib"), 0o755)
		os.WriteFile(filepath.Join(dir, "usr/lib/os-release"), []byte("ID=debian\nVERSION_CODENAME=bookworm\n"), 0o644)
		_, err := inspect(dir)
		if err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("inspect read the host's files through the root's links: %v", err)
		}
		c.Check(t)
	})
	t.Run("modules copied", func(t *testing.T) {
		dir := t.TempDir()
		if err := addModules(context.Background(), openRoot(t, dir), k); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "usr/lib/modules/6.1.0-test/modules.dep")); err != nil || string(b) != "x" {
			t.Errorf("modules not copied: %q %v", b, err)
		}
	})
}

// TestCollectKernelStaysInRoot plants, in the throw-away root the kernel
// is taken from, an initramfs and a modules folder that are symlinks to
// a host canary: nothing of the host's is copied out.
func TestCollectKernelStaysInRoot(t *testing.T) {
	c := canary.New(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "boot"), 0o755)
	os.WriteFile(filepath.Join(dir, "boot/vmlinuz-1"), []byte("kernel"), 0o644)
	c.Plant(t, dir, map[string]string{"boot/initrd.img-1": c.File, "usr/lib/modules/1": ""})
	keep := filepath.Join(t.TempDir(), "keep")
	err := collectKernel(context.Background(), dir, keep)
	t.Logf("collectKernel: %v", err)
	filepath.Walk(keep, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "host data") {
				t.Errorf("%s holds the host canary's content", p)
			}
		}
		return nil
	})
	c.Check(t)
}

func TestCollectKernel(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"boot/vmlinuz-2": "kernel", "boot/initrd.img-2": "initrd", "usr/lib/modules/2/kernel/a.ko": "ko"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	keep := filepath.Join(t.TempDir(), "keep")
	if err := collectKernel(context.Background(), dir, keep); err != nil {
		t.Fatal(err)
	}
	k, err := readKernel(keep)
	if err != nil || k.Version != "2" {
		t.Fatalf("readKernel: %+v %v", k, err)
	}
	for p, want := range map[string]string{k.Image: "kernel", k.Initrd: "initrd", filepath.Join(k.Modules, "kernel/a.ko"): "ko"} {
		if b, err := os.ReadFile(p); err != nil || string(b) != want {
			t.Errorf("%s: %q %v", p, b, err)
		}
	}
}
