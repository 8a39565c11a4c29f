package pack

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// A cancelled or failed build leaves nothing under the output's name, nor
// a temporary file.
func TestInterruptedLeavesNothing(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, o := range []Output{
		&Tar{Path: "r.tar", Compression: "gzip"},
		&Cpio{Path: "r.cpio", Compression: "none"},
		&Squashfs{Path: "r.sqsh", Compression: "none"},
		&Ext4{Path: "r.ext4", Size: "auto"},
		&Directory{Path: "r"},
	} {
		err := o.Write(ctx, &Env{RootDir: root, OutDir: out})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v, want context.Canceled", o.Summary(), err)
		}
	}
	err := (&Tar{Path: "missing.tar", Compression: "none"}).Write(context.Background(), &Env{RootDir: root + "/missing", OutDir: out})
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("tar of a missing root = %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("output folder holds %d entries after failed builds, want none", len(ents))
	}
}

func TestMissingToolNamesPackage(t *testing.T) {
	root := t.TempDir()
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct {
		o   Output
		pkg string
	}{
		{&Squashfs{Path: "r.sqsh", Compression: "none"}, "squashfs-tools"},
		{&Ext4{Path: "r.ext4", Size: "auto"}, "e2fsprogs"},
	} {
		err := tc.o.Write(context.Background(), &Env{RootDir: root, OutDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), "install the Debian package "+tc.pkg) {
			t.Errorf("%s without its tool = %v, want the package %s named", tc.o.Summary(), err, tc.pkg)
		}
	}
}
