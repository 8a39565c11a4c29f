package pack

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestPlainChrootInUnpackedTar: a root as bootstrap leaves it (its /dev
// filled as debootstrap's) packed as rootfs.tar and unpacked with GNU tar
// can be entered with a plain chroot: sshd -T, which opens /dev/null,
// works. Without the device nodes it fails with "Couldn't open /dev/null".
func TestPlainChrootInUnpackedTar(t *testing.T) {
	tarBin := testenv.RequireTool(t, "tar")
	chrootBin := testenv.RequireTool(t, "chroot")
	if testenv.Short() {
		t.Skip("packs a whole bookworm root")
	}
	root := testroot.Get(t)
	r, err := chroot.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.WriteDev(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := (&Tar{Path: "rootfs.tar", Compression: "none"}).Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "unpacked")
	os.Mkdir(dir, 0o755)
	if b, err := exec.Command(tarBin, "-C", dir, "--numeric-owner", "-xpf", filepath.Join(out, "rootfs.tar")).CombinedOutput(); err != nil {
		t.Fatalf("tar -x: %v\n%s", err, b)
	}
	os.MkdirAll(filepath.Join(dir, "run/sshd"), 0o755) // a tmpfs at boot, made by sshd's unit
	b, err := exec.Command(chrootBin, dir, "/usr/sbin/sshd", "-T").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(b), "port 22\n") {
		t.Errorf("chroot %s sshd -T: %v\n%s", dir, err, b)
	}
	if b, err := exec.Command(chrootBin, dir, "sh", "-c", "echo > /dev/null && head -c 4 /dev/urandom | wc -c").CombinedOutput(); err != nil || strings.TrimSpace(string(b)) != "4" {
		t.Errorf("chroot %s sh: %v\n%s", dir, err, b)
	}
}
