// Package testenv says what a test needs from the machine in one place:
// root, KVM, host tools. Outside CI a missing need skips the test; in CI
// (CI or CHROOTBUILD_CI set) it fails it, because a skipped test in CI is a
// failure.
package testenv

import (
	"os"
	"os/exec"
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
