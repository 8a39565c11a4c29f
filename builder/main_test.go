package builder_test

import (
	"os"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/mountns"
)

// TestMain runs the tests inside a private mount namespace (as root) so a
// failing test leaves no overlay behind, and serves chroot's re-exec.
func TestMain(m *testing.M) {
	chroot.Init()
	// Outputs are compared byte for byte between builds: clamp mtimes.
	os.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	if os.Geteuid() == 0 {
		if err := mountns.Enter(); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
