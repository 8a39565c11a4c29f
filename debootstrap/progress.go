package debootstrap

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports downloads: a bar when the log is a terminal, plain
// lines (one per downloaded package, and a total) otherwise.
type progress struct {
	mu    sync.Mutex
	log   io.Writer
	bar   *progressbar.ProgressBar
	total int
	done  int
	bytes int64
}

func newProgress(log io.Writer, total int) *progress {
	p := &progress{log: log, total: total}
	if f, ok := log.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(log),
			progressbar.OptionSetDescription("fetching packages"), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
	}
	return p
}

// fetched records one package; downloaded is false for a cache hit.
func (p *progress) fetched(pkg *Package, downloaded bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if downloaded {
		p.bytes += pkg.Size
	}
	if p.bar != nil {
		p.bar.Add(1)
		return
	}
	if downloaded {
		fmt.Fprintf(p.log, "fetched %d/%d %s %s\n", p.done, p.total, pkg.Name, pkg.Version)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
	fmt.Fprintf(p.log, "%d packages ready, %.1f MB downloaded\n", p.total, float64(p.bytes)/1e6)
}
