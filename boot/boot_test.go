package boot_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/mountns"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

func TestMain(m *testing.M) {
	chroot.Init()
	if os.Geteuid() == 0 {
		if err := mountns.Enter(); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// buildImage builds a definition (with vars) into a temporary output
// folder, sharing the package and step caches with the other tests.
func buildImage(t *testing.T, def string, vars map[string]string) string {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "qemu-system-x86_64")
	testenv.RequireTool(t, "nc")
	img, diags := hcl.Load(def, hcl.LoadOptions{Vars: vars})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %v", def, diags)
	}
	out := t.TempDir()
	var log bytes.Buffer
	opt := builder.Options{OutDir: out, CacheDir: "/var/cache/chrootbuild", StepCache: "/var/cache/chrootbuild/test/steps", Log: &log}
	if _, err := builder.Build(context.Background(), img, opt); err != nil {
		t.Fatalf("building %s: %v\n%s", def, err, log.String())
	}
	return out
}

func bootImage(t *testing.T, out string, failFast bool) *boot.Report {
	t.Helper()
	var log, console bytes.Buffer
	opt := boot.Options{Log: &log, Console: &console, Timeout: 10 * time.Minute, FailFast: failFast}
	r, err := builder.BootPath(context.Background(), out, opt)
	if err != nil {
		t.Fatalf("boot: %v\n%s", err, log.String())
	}
	var rep bytes.Buffer
	r.Write(&rep)
	t.Logf("boot report:\n%s", rep.String())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("console, last lines:\n%s", tailLines(console.String(), 80))
		}
	})
	return r
}

// tailLines returns the last n lines of a console, without the terminal
// escapes systemd colours it with.
func tailLines(text string, n int) string {
	text = regexp.MustCompile(`\x1b(\[[0-9;?]*[A-Za-z]|[A-Za-z])`).ReplaceAllString(text, "")
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func evidenceOf(r *boot.Report, prefix string) string {
	for _, c := range r.Checks {
		if strings.HasPrefix(c.Name, prefix) {
			return c.Evidence
		}
	}
	return ""
}

func failedNames(r *boot.Report) []string {
	var names []string
	for _, c := range r.Failed() {
		names = append(names, c.Name)
	}
	return names
}

// TestBootOfficialDebian boots images/debian on each suite it is built
// from (trixie, the default, and bookworm) and wants every check to pass:
// console, SSH with the metadata key, hostname, check list, reboot and
// poweroff.
func TestBootOfficialDebian(t *testing.T) {
	if testenv.Short() {
		t.Skip("builds and boots the image")
	}
	for _, suite := range testroot.Suites {
		t.Run(suite, func(t *testing.T) {
			r := bootImage(t, buildImage(t, "../images/debian", map[string]string{"suite": suite}), false)
			if !r.Passed {
				t.Fatalf("the official image on %s failed its boot checks: %v", suite, failedNames(r))
			}
			if len(r.Checks) < 10 {
				t.Fatalf("only %d checks ran", len(r.Checks))
			}
			// The boot's own fences: restricted user network, pinned host key.
			for _, name := range []string{"the guest reaches the metadata and no other host service", "SSH refuses the guest under another host key"} {
				if !passed(r, name) {
					t.Errorf("check %q did not pass: %s", name, evidenceOf(r, name))
				}
			}
		})
	}
}

func passed(r *boot.Report, name string) bool {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Passed
		}
	}
	return false
}

// TestBootCatchesBrokenImages boots two broken variants of the official
// image and wants boot to fail each for its own reason, with the evidence
// that shows the reason. They stop after the first boot (FailFast).
func TestBootCatchesBrokenImages(t *testing.T) {
	if testenv.Short() {
		t.Skip("builds and boots the images")
	}
	cases := []struct{ def, fails, evidence, holds string }{
		{"testdata/broken-sshd", "SSH with the metadata's key", "ssh.service", "a login prompt appears on the serial console"},
		{"testdata/masked-getty", "a login prompt appears on the serial console", "masked", "SSH with the metadata's key"},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.def), func(t *testing.T) {
			r := bootImage(t, buildImage(t, c.def, nil), true)
			if r.Passed {
				t.Fatal("boot passed a broken image")
			}
			failed := strings.Join(failedNames(r), "; ")
			if !strings.Contains(failed, c.fails) {
				t.Fatalf("failed checks %q, want %q among them", failed, c.fails)
			}
			if ev := evidenceOf(r, c.fails); !strings.Contains(ev, c.evidence) {
				t.Fatalf("the evidence of %q does not show the reason (%q): %s", c.fails, c.evidence, ev)
			}
			if strings.Contains(failed, c.holds) {
				t.Fatalf("failed checks %q include %q, which the breakage does not explain", failed, c.holds)
			}
		})
	}
}
