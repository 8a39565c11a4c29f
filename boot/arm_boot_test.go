package boot_test

import (
	"bytes"
	"context"
	"path/filepath"
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
// the login prompt coming from the image's own getty on ttyAMA0. The arm64
// image also carries the linux/arm64 chrootbuild and a small definition:
// between the first boot's checks and the reboot, the VM builds it
// natively (buildOnARMHost), so that one boot serves both.
func TestBootOfficialDebianARM(t *testing.T) {
	if testenv.Short() {
		t.Skip("builds and boots ARM images under emulation")
	}
	for _, a := range []string{"arm64", "armhf"} {
		t.Run(a, func(t *testing.T) {
			m, _ := arch.BootOn(arch.Host(), arch.MustLookup(a), false)
			testenv.RequireTool(t, m.Binary)
			def, opt := "../images/debian", boot.Options{}
			var back string
			if a == "arm64" {
				def, back = armBuilderDefinition(t), t.TempDir()
				opt.Guest = func(ctx context.Context, g *boot.Guest) error { return buildInGuest(ctx, t, g, back) }
			}
			out := buildImage(t, def, map[string]string{"arch": a})
			r := bootWith(t, out, opt)
			if !r.Passed {
				t.Fatalf("the official %s image failed its boot checks: %v", a, failedNames(r))
			}
			if len(r.Checks) < 10 {
				t.Fatalf("only %d checks ran", len(r.Checks))
			}
			if ev := evidenceOf(r, "a login prompt"); !strings.Contains(ev, "ttyAMA0") {
				t.Errorf("the login prompt's evidence does not name ttyAMA0: %s", ev)
			}
			if back != "" {
				for b, machine := range map[string]string{"arm64": "aarch64", "armhf": "armv8l"} {
					checkBroughtBack(t, filepath.Join(back, b+".tar"), b, machine)
				}
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
