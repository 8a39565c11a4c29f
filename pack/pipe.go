package pack

import (
	"hash"
	"io"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// pipeBufSize is the size of the chunks handed to the writing goroutine:
// large writes keep the syscall count low.
const pipeBufSize = 1 << 20

// pipeWriter buffers writes into large chunks and hands them to a goroutine
// that hashes and writes them, so reading the root and writing the output
// overlap on two CPUs.
type pipeWriter struct {
	w    io.Writer
	h    hash.Hash
	buf  []byte
	full chan []byte
	free chan []byte
	done chan error
	err  error
	n    int64 // bytes accepted
	// failed is set by the writing goroutine on its first error, so the
	// producer stops early instead of filling chunks nobody writes.
	failed atomic.Pointer[error]
}

func newPipeWriter(w io.Writer, h hash.Hash) *pipeWriter {
	p := &pipeWriter{w: w, h: h, full: make(chan []byte, 3), free: make(chan []byte, 4), done: make(chan error, 1)}
	for i := 0; i < 4; i++ {
		p.free <- make([]byte, 0, pipeBufSize)
	}
	p.buf = <-p.free
	go p.drain(p.full)
	return p
}

// writebackEvery is how many bytes drain writes before asking the kernel
// to start writing them back, so the final fsync has little left to do.
const writebackEvery = 16 << 20

func (p *pipeWriter) drain(full <-chan []byte) {
	var err error
	var off, synced int64
	f, _ := p.w.(*os.File)
	for b := range full {
		if err == nil {
			p.h.Write(b)
			_, err = p.w.Write(b)
			off += int64(len(b))
			if err != nil {
				p.failed.Store(&err)
			}
		}
		if f != nil && off-synced >= writebackEvery {
			// Only a hint: an error here changes nothing.
			unix.SyncFileRange(int(f.Fd()), synced, off-synced, unix.SYNC_FILE_RANGE_WRITE)
			synced = off
		}
		p.free <- b[:0]
	}
	p.done <- err
}

// Write copies b into the current chunk, handing full chunks on.
func (p *pipeWriter) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	if e := p.failed.Load(); e != nil {
		return 0, *e
	}
	n := len(b)
	for len(b) > 0 {
		k := copy(p.buf[len(p.buf):cap(p.buf)], b)
		p.buf = p.buf[:len(p.buf)+k]
		b = b[k:]
		if len(p.buf) == cap(p.buf) {
			p.full <- p.buf
			p.buf = <-p.free
		}
	}
	p.n += int64(n)
	return n, nil
}

// Close flushes the last chunk and waits for the writer; it returns the
// first write error.
func (p *pipeWriter) Close() error {
	if p.full == nil {
		return p.err
	}
	if len(p.buf) > 0 {
		p.full <- p.buf
	}
	close(p.full)
	p.full = nil
	p.err = <-p.done
	return p.err
}
