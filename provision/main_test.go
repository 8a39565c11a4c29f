package provision

import (
	"os"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// TestMain lets Run re-execute the test binary as the root's first
// process; the only TestMain of package provision.
func TestMain(m *testing.M) { chroot.Init(); os.Exit(m.Run()) }
