package debootstrap

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
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

// Progress is one package through a phase of the install, for callers
// that show it their own way (the builder's --json events).
type Progress struct {
	Phase   string `json:"phase"` // "registered", "unpacked" or "configured"
	Package string `json:"package,omitempty"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
}

// phaseProgress counts the packages through each phase of the install:
// a bar on a terminal, a line per package otherwise, and Progress events.
type phaseProgress struct {
	mu     sync.Mutex
	log    io.Writer
	notify func(Progress)
	total  int
	counts map[string]int
	bar    *progressbar.ProgressBar
	tty    bool
}

func newPhaseProgress(log io.Writer, notify func(Progress), total int) *phaseProgress {
	p := &phaseProgress{log: log, notify: notify, total: total, counts: map[string]int{}}
	if f, ok := log.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

// step records one package through phase.
func (p *phaseProgress) step(phase, pkg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[phase]++
	n := p.counts[phase]
	if p.notify != nil {
		p.notify(Progress{Phase: phase, Package: pkg, Done: n, Total: p.total})
	}
	switch {
	case p.tty && p.bar == nil:
		p.bar = progressbar.NewOptions(p.total, progressbar.OptionSetWriter(p.log),
			progressbar.OptionSetDescription(phase), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
		p.bar.Set(n)
	case p.tty:
		p.bar.Set(n)
	case phase != "registered":
		fmt.Fprintf(p.log, "%s %d/%d %s\n", phase, n, p.total, pkg)
	}
}

// done ends a phase with a line saying how many packages went through.
func (p *phaseProgress) done(phase string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
	fmt.Fprintf(p.log, "%d of %d packages %s\n", p.counts[phase], p.total, phase)
}

// lines returns a writer for dpkg's output that counts, as phase, each
// line beginning with prefix ("Setting up name (version) ...") and keeps
// the tail of the output for an error message.
func (p *phaseProgress) lines(prefix, phase string) *lineCounter {
	return &lineCounter{tail: &tailWriter{max: 8 << 10}, prefix: prefix, step: func(pkg string) { p.step(phase, pkg) }}
}

type lineCounter struct {
	tail   *tailWriter
	prefix string
	step   func(pkg string)
	mu     sync.Mutex
	buf    []byte
}

func (w *lineCounter) Write(b []byte) (int, error) {
	w.tail.Write(b)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		line := string(w.buf[:i])
		w.buf = w.buf[i+1:]
		if rest, ok := strings.CutPrefix(line, w.prefix); ok {
			name, _, _ := strings.Cut(rest, " ")
			w.step(name)
		}
	}
}
