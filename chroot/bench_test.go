package chroot

import (
	"context"
	"os/exec"
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
