package chroot

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// BenchmarkRun times running true in a root: ours (re-exec, namespaces,
// mounts, chroot, reap) against the same set-up done by util-linux tools
// (testdata/peer-unshare.sh). Compare the two ns/op figures.
func BenchmarkRun(b *testing.B) {
	testenv.RequireRoot(b)
	testenv.RequireTool(b, "unshare")
	r, err := Open(testroot.Get(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("chroot.Run", func(b *testing.B) {
		for range b.N {
			if err := r.Run(context.Background(), Cmd{Args: []string{"true"}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("peer-unshare", func(b *testing.B) {
		for range b.N {
			if out, err := exec.Command("testdata/peer-unshare.sh", r.Dir(), "true").CombinedOutput(); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
		}
	})
}

// BenchmarkRemoveAll removes a tree of 50 folders of 40 files each: ours
// (descriptor walk, no symlink followed, same file system only) against
// os.RemoveAll on the host path.
func BenchmarkRemoveAll(b *testing.B) {
	dir := b.TempDir()
	r, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	fill := func() {
		for d := range 50 {
			p := filepath.Join(dir, "tree", strconv.Itoa(d))
			if err := os.MkdirAll(p, 0o755); err != nil {
				b.Fatal(err)
			}
			for f := range 40 {
				os.WriteFile(filepath.Join(p, strconv.Itoa(f)), []byte("x"), 0o644)
			}
		}
	}
	for _, c := range []struct {
		name string
		rm   func() error
	}{
		{"chroot.RemoveAll", func() error { return r.RemoveAll("/tree") }},
		{"os.RemoveAll", func() error { return os.RemoveAll(filepath.Join(dir, "tree")) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				fill()
				b.StartTimer()
				if err := c.rm(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
