package images_test

import (
	"os"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/mountns"
)

// TestMain lets chroot.Root.Run re-execute the test binary as a root's
// first process, and, as root, runs the tests in a private mount namespace
// as build.Run requires, so no overlay or chroot mount outlives them.
func TestMain(m *testing.M) {
	chroot.Init()
	if os.Geteuid() == 0 {
		if err := mountns.Enter(); err != nil {
			panic(err)
		}
	}
	code := m.Run()
	removeBuilt()
	os.Exit(code)
}
