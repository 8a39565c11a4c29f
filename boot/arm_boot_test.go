package boot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

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
			r := bootWith(t, out, boot.Options{})
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
