package debootstrap

import (
	"bytes"
	"sync"
)

// tailWriter keeps the last max bytes written: enough of dpkg's output to
// explain a failure, without holding all of it.
type tailWriter struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if extra := w.buf.Len() - w.max; extra > 0 {
		w.buf.Next(extra)
	}
	return len(p), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
