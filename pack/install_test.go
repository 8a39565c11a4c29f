package pack

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/nbdtest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// readExport copies an NBD export to a file with nbdcopy (libnbd).
func readExport(t *testing.T, url string) string {
	t.Helper()
	testenv.RequireTool(t, "nbdcopy")
	img := filepath.Join(t.TempDir(), "export.img")
	if out, err := exec.Command("nbdcopy", url, img).CombinedOutput(); err != nil {
		t.Fatalf("nbdcopy %s: %v\n%s", url, err, out)
	}
	return img
}

// checkInstalled checks an installed ext4 image: clean, and holding root.
// A tar carries no sockets, so fromTar leaves them out of the comparison.
func checkInstalled(t *testing.T, img, root string, fromTar bool) {
	t.Helper()
	fsck(t, img)
	got := withoutLostFound(treeInfo(t, loopMount(t, img, "ext4"), fromTar))
	compareTrees(t, treeInfo(t, root, fromTar), got)
}

func TestInstallNbdkit(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	url := "nbd://" + nbdtest.Nbdkit(t, "256M", nil)
	if err := Install(context.Background(), root, url+"/", InstallOptions{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	checkInstalled(t, readExport(t, url), root, false)
}

func TestInstallQemuNbdFromTar(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	disk := filepath.Join(t.TempDir(), "disk.img")
	// Old data on the disk must not show through the new file system.
	if out, err := exec.Command("sh", "-c", "yes garbage | head -c 134217728 >"+disk).CombinedOutput(); err != nil {
		t.Fatalf("filling disk: %v\n%s", err, out)
	}
	url := "nbd://" + nbdtest.QemuNbd(t, disk) + "/disk"
	if err := Install(context.Background(), tarOf(t, root), url, InstallOptions{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	checkInstalled(t, readExport(t, url), root, true)
}

func TestInstallNbdErrors(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	small := "nbd://" + nbdtest.Nbdkit(t, "1M", nil)
	err := Install(context.Background(), root, small, InstallOptions{TempDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "too small") {
		t.Errorf("install on a 1M export = %v, want too small", err)
	}
	qurl := "nbd://" + nbdtest.QemuNbd(t, mustFile(t, 64<<20)) + "/disk"
	err = Install(context.Background(), root, qurl+"x", InstallOptions{TempDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "unknown export") {
		t.Errorf("install on a wrong export name = %v, want unknown export", err)
	}
}

func mustFile(t *testing.T, size int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, size); err != nil {
		t.Fatal(err)
	}
	return p
}

// losetup attaches file to a free loop device until the test ends.
func losetup(t *testing.T, file string) string { return testenv.Losetup(t, file) }

func TestInstallBlockDevice(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	disk := mustFile(t, 128<<20)
	dev := losetup(t, disk)
	err := Install(context.Background(), root, dev, InstallOptions{})
	if err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("install without --yes or a terminal = %v, want a refusal", err)
	}
	asked := ""
	err = Install(context.Background(), root, dev, InstallOptions{Confirm: func(p string) bool { asked = p; return false }})
	if err == nil || !strings.Contains(asked, dev) {
		t.Fatalf("declined confirmation = %v (asked %q), want cancelled", err, asked)
	}
	if err := Install(context.Background(), root, dev, InstallOptions{Yes: true}); err != nil {
		t.Fatal(err)
	}
	exec.Command("losetup", "-d", dev).Run()
	checkInstalled(t, disk, root, false)
}

func TestInstallRefusesMountedAndSmall(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	img := writeExt4(t, root, t.TempDir(), "m.ext4", "auto")
	dev := losetup(t, img)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-o", "ro", dev, mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v\n%s", err, out)
	}
	defer exec.Command("umount", mnt).Run()
	err := Install(context.Background(), root, dev, InstallOptions{Yes: true})
	if err == nil || !strings.Contains(err.Error(), "mounted on "+mnt) {
		t.Errorf("install on a mounted device = %v, want a refusal naming %s", err, mnt)
	}
	small := losetup(t, mustFile(t, 2<<20))
	err = Install(context.Background(), root, small, InstallOptions{Yes: true})
	if err == nil || !strings.Contains(err.Error(), "needs") {
		t.Errorf("install on a 2 MiB device = %v, want too small", err)
	}
	err = Install(context.Background(), root, "/dev/null", InstallOptions{Yes: true})
	if err == nil || !strings.Contains(err.Error(), "not a block device") {
		t.Errorf("install on /dev/null = %v, want not a block device", err)
	}
}
