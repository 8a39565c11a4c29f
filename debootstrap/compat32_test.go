package debootstrap

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// TestBootstrapCompat32 bootstraps, on an amd64 host, an i386 root: the
// table's other Compat32 pair beside armhf on arm64, so the same code
// path (no emulator; the chroot's commands under personality(PER_LINUX32))
// runs on this machine. uname -m in the root says i686, not x86_64; the
// root passes dpkg --audit and no binfmt entry was registered for it.
func TestBootstrapCompat32(t *testing.T) {
	if arch.Host().Debian != "amd64" {
		t.Skip("the amd64 → i386 pair needs an amd64 host")
	}
	var log bytes.Buffer
	dir, _ := realBootstrapLog(t, "i386", &log)
	if !strings.Contains(log.String(), "natively in this amd64 CPU's 32-bit mode") || strings.Contains(log.String(), "in binfmt_misc") {
		t.Errorf("the i386 bootstrap did not say it runs in the 32-bit mode:\n%s", log.String())
	}
	root, _ := chroot.Open(dir)
	out, err := root.Output(context.Background(), "uname", "-m")
	if err != nil || strings.TrimSpace(string(out)) != "i686" {
		t.Errorf("uname -m in the i386 root: %q %v (want i686: PER_LINUX32)", out, err)
	}
	audit, err := root.Output(context.Background(), "dpkg", "--audit")
	if err != nil || len(audit) != 0 {
		t.Errorf("dpkg --audit: %v: %s", err, audit)
	}
}
