package images_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

var (
	rescueOnce sync.Once
	rescue     built
)

// rescueInitramfs builds images/rescue once and unpacks its cpio the way
// the kernel does, into a folder; it returns the build and that folder.
func rescueInitramfs(t *testing.T) (built, string) {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mksquashfs")
	cpio := testenv.RequireTool(t, "cpio")
	if testenv.Short() {
		t.Skip("builds images/rescue from the mirror")
	}
	rescueOnce.Do(func() {
		rescue = buildImage(t, "rescue", nil)
		if rescue.err != nil {
			return
		}
		ram := filepath.Join(filepath.Dir(rescue.out), "ram")
		if rescue.err = os.Mkdir(ram, 0o755); rescue.err != nil {
			return
		}
		cmd := exec.Command("sh", "-c", "gzip -dc \"$1\" | \"$2\" -idm --quiet --no-absolute-filenames", "sh",
			filepath.Join(rescue.out, "rescue.cpio.gz"), cpio)
		cmd.Dir = ram
		if out, err := cmd.CombinedOutput(); err != nil {
			rescue.err = &tarError{err, "unpacking rescue.cpio.gz: " + string(out)}
		}
	})
	if rescue.err != nil {
		t.Fatalf("building images/rescue: %v", rescue.err)
	}
	return rescue, filepath.Join(filepath.Dir(rescue.out), "ram")
}

// resolve follows symlinks of name inside root, as the kernel would with
// root as /.
func resolve(t *testing.T, root, name string) string {
	t.Helper()
	for range 40 {
		target, err := os.Readlink(filepath.Join(root, name))
		if err != nil {
			return name
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(name), target)
		}
		name = target
	}
	t.Fatalf("symlink loop at %s", name)
	return ""
}

// TestRescueInit: the initramfs holds an executable /init that is valid
// sh and hands over to systemd, and starting it in the unpacked
// initramfs reaches the exec.
func TestRescueInit(t *testing.T) {
	_, ram := rescueInitramfs(t)
	// The kernel gives / the mode of the cpio's "." entry.
	list, err := runHost("sh", "-c", "gzip -dc \"$1\" | cpio -itv --quiet", "sh", filepath.Join(rescue.out, "rescue.cpio.gz"))
	if err != nil {
		t.Fatalf("listing the cpio: %v", err)
	}
	for _, l := range strings.Split(list, "\n") {
		if strings.HasSuffix(l, " .") && !strings.HasPrefix(l, "drwxr-xr-x ") {
			t.Errorf("/ of the initramfs: %s", l)
		}
	}
	fi, err := os.Stat(filepath.Join(ram, "init"))
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("/init in the cpio: %v %v", fi, err)
	}
	if out, err := runHost("sh", "-n", filepath.Join(ram, "init")); err != nil {
		t.Errorf("sh -n /init: %v %s", err, out)
	}
	if got := resolve(t, ram, "/sbin/init"); !strings.HasSuffix(got, "/systemd/systemd") {
		t.Errorf("/sbin/init resolves to %s, not systemd", got)
	}
	if fi, err := os.Stat(filepath.Join(ram, resolve(t, ram, "/sbin/init"))); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Errorf("systemd in the cpio: %v %v", fi, err)
	}
	root, err := chroot.Open(ram)
	if err != nil {
		t.Fatal(err)
	}
	out := inRoot(t, root, []string{"RESCUE_INIT=/bin/pwd"}, "/init")
	if out != "rescue: running from RAM; starting /bin/pwd\n/\n" {
		t.Errorf("/init printed %q", out)
	}
}

func TestRescueTools(t *testing.T) {
	_, ram := rescueInitramfs(t)
	for _, tool := range []string{"busybox", "parted", "lvm", "rsync", "memtester", "iperf3", "mkfs.ext4", "mkfs.vfat", "debootstrap"} {
		found := false
		for _, d := range []string{"usr/bin", "usr/sbin", "bin", "sbin"} {
			if _, err := os.Stat(filepath.Join(ram, d, tool)); err == nil {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not in the initramfs", tool)
		}
	}
	if got := readFile(t, filepath.Join(ram, "etc/ocs-release")); !strings.Contains(got, "IMAGE_CODENAME=rescue\n") {
		t.Errorf("rescue lacks /etc/ocs-release")
	}
	if fi, err := os.Stat(filepath.Join(rescue.out, "rootfs.tar")); err != nil || fi.Size() == 0 {
		t.Errorf("rescue rootfs.tar: %v", err)
	}
}
