package nbd

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/nbdtest"
)

// BenchmarkNBD streams one image into an nbdkit memory export with our
// client and with nbdcopy (libnbd), for the ratio between them. The image
// is $CHROOTBUILD_BENCH_IMAGE (bench/pack.sh passes an ext4 image of a
// real root), else a generated 256 MiB sparse file.
func BenchmarkNBD(b *testing.B) {
	var src *os.File
	if p := os.Getenv("CHROOTBUILD_BENCH_IMAGE"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		src = f
	} else {
		src = patternFile(b, 256<<20)
	}
	fi, _ := src.Stat()
	size := fi.Size()
	b.Run("ours", func(b *testing.B) {
		addr := nbdtest.Nbdkit(b, fmt.Sprint(size), nil)
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			c, err := Dial(context.Background(), addr, "")
			if err != nil {
				b.Fatal(err)
			}
			if err := c.CopyFile(context.Background(), src, size); err != nil {
				b.Fatal(err)
			}
			if err := c.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nbdcopy", func(b *testing.B) {
		addr := nbdtest.Nbdkit(b, fmt.Sprint(size), nil)
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			if out, err := exec.Command("nbdcopy", src.Name(), "nbd://"+addr).CombinedOutput(); err != nil {
				b.Fatalf("nbdcopy: %v\n%s", err, out)
			}
		}
	})
}
