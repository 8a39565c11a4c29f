package builder

import (
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/pack"
)

// packProgress shows, on a terminal, a bar of the bytes an output has
// written so far (its file under the temporary name the packers use);
// elsewhere the begin and end lines are the progress. It returns the
// function that ends the bar.
func (b *builder) packProgress(o hcl.Output) (stop func()) {
	f, ok := b.ev.out.(*os.File)
	p, pathed := o.Output.(pack.Pathed)
	if b.opt.JSON || !ok || !term.IsTerminal(int(f.Fd())) || !pathed {
		return func() {}
	}
	final := outPath(b.opt.OutDir, p.OutputPath())
	pattern := filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	bar := progressbar.NewOptions64(-1, progressbar.OptionSetWriter(f), progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("packing "+o.Kind), progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(200*time.Millisecond))
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				bar.Set64(tempSize(pattern))
			}
		}
	}()
	return func() { close(done); bar.Finish() }
}

func tempSize(pattern string) int64 {
	names, _ := filepath.Glob(pattern)
	var n int64
	for _, name := range names {
		if fi, err := os.Stat(name); err == nil {
			n += fi.Size()
		}
	}
	return n
}
