package pack

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
	"golang.org/x/sys/unix"
)

// debianKernel returns a bookworm vmlinuz, fetched once from the Debian
// mirror with apt-get download and kept under the test cache.
func debianKernel(t *testing.T) string {
	t.Helper()
	testenv.RequireTool(t, "apt-get")
	dir := filepath.Join(testroot.CacheDir(), "kernel-bookworm-amd64")
	vmlinuz := filepath.Join(dir, "vmlinuz")
	if _, err := os.Stat(vmlinuz); err == nil {
		return vmlinuz
	}
	work := t.TempDir()
	out, err := exec.Command("sh", "-c", "apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}'").Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("finding the kernel package: %v", err)
	}
	dl := exec.Command("apt-get", "download", strings.TrimSpace(string(out)))
	dl.Dir = work
	if b, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("apt-get download: %v\n%s", err, b)
	}
	debs, _ := filepath.Glob(filepath.Join(work, "*.deb"))
	if len(debs) != 1 {
		t.Fatalf("apt-get download left %v", debs)
	}
	if b, err := exec.Command("dpkg-deb", "-x", debs[0], filepath.Join(work, "x")).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb -x: %v\n%s", err, b)
	}
	found, _ := filepath.Glob(filepath.Join(work, "x/boot/vmlinuz-*"))
	if len(found) != 1 {
		t.Fatalf("no vmlinuz in the kernel package")
	}
	os.MkdirAll(dir, 0o755)
	if b, err := exec.Command("cp", found[0], vmlinuz+".tmp").CombinedOutput(); err != nil {
		t.Fatalf("cp: %v\n%s", err, b)
	}
	if err := os.Rename(vmlinuz+".tmp", vmlinuz); err != nil {
		t.Fatal(err)
	}
	return vmlinuz
}

// TestCpioBootsInitramfs boots a Debian kernel in QEMU (TCG) with our cpio as
// its initramfs; a static Go /init checks owners, modes and hard links as
// the kernel unpacked them.
func TestCpioBootsInitramfs(t *testing.T) {
	testenv.RequireRoot(t)
	qemu := testenv.RequireTool(t, "qemu-system-x86_64")
	if testenv.Short() {
		t.Skip("boots a kernel")
	}
	kernel := debianKernel(t)
	root := synthRoot(t)
	build := exec.Command("go", "build", "-o", filepath.Join(root, "init"), "./testdata/initramfs-init")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOARCH=amd64")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build init: %v\n%s", err, b)
	}
	if err := unix.Mknod(filepath.Join(root, "dev/console"), unix.S_IFCHR|0o600, int(unix.Mkdev(5, 1))); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := (&Cpio{Path: "initrd.img", Compression: "gzip"}).Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// TCG, not KVM: a tiny initramfs boots in seconds either way, and
	// nested KVM on CI machines is not always usable.
	cmd := exec.CommandContext(ctx, qemu, "-machine", "q35", "-accel", "tcg", "-cpu", "max", "-m", "512",
		"-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
		"-kernel", kernel, "-initrd", filepath.Join(out, "initrd.img"),
		"-append", "console=ttyS0,115200 panic=-1 quiet")
	b, err := cmd.CombinedOutput()
	console := string(b)
	if err != nil || !strings.Contains(console, "INITRAMFS DONE") {
		t.Fatalf("qemu: %v\n%s", err, console)
	}
	if strings.Contains(console, "FAIL") || strings.Count(console, " OK\r\n")+strings.Count(console, " OK\n") != 5 {
		t.Errorf("init's checks:\n%s", console)
	}
	if !strings.Contains(console, `CONTENT "\x7fELF ping" <nil>`) {
		t.Errorf("the hard link's content is wrong:\n%s", console)
	}
}
