package debootstrap

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/arch"
)

// TestMissingEmulatorNamesEntryAndPackage: an emulator that is neither
// registered nor installed is an error naming the binfmt_misc entry, the
// program and the Debian package, and a binfmt_misc mounted for it is
// unmounted again.
func TestMissingEmulatorNamesEntryAndPackage(t *testing.T) {
	before := binfmtMounted(t)
	q := &arch.Emulator{Binfmt: "qemu-cb-missing", Program: "qemu-cb-missing-static", Package: "qemu-user-static"}
	err := registerEmulator("armhf", q, io.Discard)
	if err == nil {
		t.Fatal("a missing emulator was accepted")
	}
	for _, w := range []string{"binfmt_misc entry qemu-cb-missing", "qemu-cb-missing-static", "Debian package qemu-user-static", "building for armhf"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if after := binfmtMounted(t); after != before {
		t.Errorf("binfmt_misc mounted before: %v, after: %v", before, after)
	}
}

func binfmtMounted(t *testing.T) bool {
	mounts, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(mounts), " "+binfmtDir+" ")
}
