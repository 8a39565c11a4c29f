package boot_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestBootOfficialDebianARM boots images/debian built for arm64 and armhf
// (through qemu-user) in qemu-system-aarch64 and qemu-system-arm, -machine
// virt under TCG, with Debian's linux-image-arm64 and
// linux-image-armmp-lpae, and wants every check of the amd64 boot to pass,
// the login prompt coming from the image's own getty on ttyAMA0.
func TestBootOfficialDebianARM(t *testing.T) {
	if testenv.Short() {
		t.Skip("builds and boots ARM images under emulation")
	}
	for _, a := range []string{"arm64", "armhf"} {
		t.Run(a, func(t *testing.T) {
			m, _ := arch.BootOn(arch.Host(), arch.MustLookup(a), false)
			testenv.RequireTool(t, m.Binary)
			out := buildImage(t, "../images/debian", map[string]string{"arch": a})
			r := bootARM(t, out)
			if !r.Passed {
				t.Fatalf("the official %s image failed its boot checks: %v", a, failedNames(r))
			}
			if len(r.Checks) < 10 {
				t.Fatalf("only %d checks ran", len(r.Checks))
			}
			if ev := evidenceOf(r, "a login prompt"); !strings.Contains(ev, "ttyAMA0") {
				t.Errorf("the login prompt's evidence does not name ttyAMA0: %s", ev)
			}
		})
	}
}

// bootARM boots with the default time limits, which scale with emulation.
func bootARM(t *testing.T, out string) *boot.Report {
	t.Helper()
	return bootWith(t, out, boot.Options{})
}

// bootWith boots a build's output folder with opt, logging the report,
// boot's log and, when a check failed, the end of the console.
func bootWith(t *testing.T, out string, opt boot.Options) *boot.Report {
	t.Helper()
	var log, console bytes.Buffer
	opt.Log, opt.Console = &log, &console
	r, err := builder.BootPath(context.Background(), out, opt)
	if err != nil {
		t.Fatalf("boot: %v\n%s", err, log.String())
	}
	var rep bytes.Buffer
	r.Write(&rep)
	t.Logf("boot report:\n%s\n%s", rep.String(), log.String())
	if !r.Passed {
		t.Logf("console, last lines:\n%s", tailLines(console.String(), 80))
	}
	return r
}

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
