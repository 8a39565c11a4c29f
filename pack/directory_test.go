package pack

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func TestDirectoryCopy(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "tar")
	root := synthRoot(t)
	out := t.TempDir()
	// An older output is replaced as a whole.
	if err := os.MkdirAll(filepath.Join(out, "rootfs", "stale"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := (&Directory{Path: "rootfs"}).Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, treeInfo(t, root, true), treeInfo(t, filepath.Join(out, "rootfs"), true))
	if ents, _ := os.ReadDir(out); len(ents) != 1 {
		t.Errorf("output folder holds %d entries, want only rootfs", len(ents))
	}
}
