package debootstrap

import (
	"os"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
)

func TestMain(m *testing.M) { chroot.Init(); os.Exit(m.Run()) }
