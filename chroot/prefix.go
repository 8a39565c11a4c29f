package chroot

import (
	"io"
	"sync"
)

// PrefixWriter returns a writer that writes everything to w with prefix at
// the start of every line, e.g. PrefixWriter(log, "step 3 (packages): ").
// Partial lines are written at once (no buffering, nothing to flush); it is
// safe for concurrent use, so a command's stdout and stderr can share it.
func PrefixWriter(w io.Writer, prefix string) io.Writer {
	return &prefixWriter{w: w, prefix: []byte(prefix), atStart: true}
}

type prefixWriter struct {
	mu      sync.Mutex
	w       io.Writer
	prefix  []byte
	atStart bool
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []byte
	for _, c := range b {
		if p.atStart {
			out = append(out, p.prefix...)
		}
		out = append(out, c)
		p.atStart = c == '\n'
	}
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
