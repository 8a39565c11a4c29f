// Package testenv says what a test needs from the machine in one place:
// root, KVM, host tools. Outside CI a missing need skips the test; in CI
// (CI or CHROOTBUILD_CI set) it fails it, because a skipped test in CI is a
// failure.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// InCI reports whether the tests run in CI, where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") != "" || os.Getenv("CHROOTBUILD_CI") != "" }

// Need skips the test (fails it in CI) when ok is false.
func Need(t testing.TB, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if InCI() {
		t.Fatalf("this test needs %s, which CI must provide", what)
	}
	t.Skipf("needs %s", what)
}

// RequireRoot needs uid 0.
func RequireRoot(t testing.TB) { t.Helper(); Need(t, os.Geteuid() == 0, "root") }

// RequireTool needs a program on PATH and returns its path.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	Need(t, err == nil, "the host tool "+name)
	return p
}

// Short reports whether -short was given; long real-world tests (network
// bootstrap, QEMU) skip under -short outside CI only.
func Short() bool { return testing.Short() && !InCI() }

// Chrootbuild compiles the chrootbuild command (static, as it is shipped)
// into the test's temporary folder and returns its path, for tests that
// run it as a user would.
func Chrootbuild(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "chrootbuild")
	build := exec.Command("go", "build", "-o", bin, "github.com/chrootbuild/chrootbuild/cmd/chrootbuild")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building chrootbuild: %v\n%s", err, out)
	}
	return bin
}
