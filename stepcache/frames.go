package stepcache

import (
	"bytes"
	"io"
	"runtime"

	"github.com/klauspost/compress/s2"
)

// An object is compressed with S2 (klauspost/compress: two to three times
// as fast as zstd's fastest level on a root's files, for 15 % more bytes)
// as a series of independent S2 streams of frameSize bytes of input each
// (one S2 stream to any S2 reader, which takes a stream identifier
// anywhere), so that the compressors, one per core, work on one object side
// by side: when the build ends and waits for its last big output, every
// core packs it. A writer keeps at most framesAhead frames in flight.
const (
	frameSize   = 4 << 20
	framesAhead = 4
)

// frame is one piece of an object: its input, then its compressed form.
type frame struct {
	in, out []byte
	err     error
	done    chan struct{}
}

// compressors is how many frames are compressed at once: one per core,
// and no more than the uploaders keep in flight.
func compressors() int { return min(runtime.NumCPU(), uploaders*framesAhead) }

// compressor compresses frames, on a thread of its own as nice as the
// uploaders' (see niceThreads), until the process ends.
func (r *remote) compressor() {
	r.threads.lower()
	// One goroutine: WriterConcurrency(1) compresses in Write, here.
	enc := s2.NewWriter(nil, s2.WriterConcurrency(1), s2.WriterBlockSize(frameSize))
	for f := range r.frames {
		out := bytes.NewBuffer(f.out[:0])
		enc.Reset(out)
		_, err := enc.Write(f.in)
		if err == nil {
			err = enc.Close()
		}
		f.out, f.err = out.Bytes(), err
		close(f.done)
	}
}

// frameWriter cuts what is written to it into frames, has the compressors
// compress them and writes them to w in order.
type frameWriter struct {
	w       io.Writer
	jobs    chan<- *frame
	cur     []byte
	pending []*frame // sent to the compressors, oldest first
	free    []*frame // written, for reuse
	err     error
}

func newFrameWriter(w io.Writer, jobs chan<- *frame) *frameWriter {
	return &frameWriter{w: w, jobs: jobs, cur: make([]byte, 0, frameSize)}
}

// Write adds p to the object.
func (fw *frameWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 && fw.err == nil {
		k := copy(fw.cur[len(fw.cur):cap(fw.cur)], p)
		fw.cur, p, n = fw.cur[:len(fw.cur)+k], p[k:], n+k
		if len(fw.cur) == cap(fw.cur) {
			fw.send()
		}
	}
	return n, fw.err
}

// send hands the current frame to the compressors, first writing out the
// oldest when framesAhead are in flight.
func (fw *frameWriter) send() {
	if len(fw.pending) == framesAhead {
		fw.writeOldest()
	}
	var f *frame
	if k := len(fw.free); k > 0 {
		f, fw.free = fw.free[k-1], fw.free[:k-1]
		f.in, fw.cur = fw.cur, f.in[:0]
	} else {
		f = &frame{in: fw.cur}
		fw.cur = make([]byte, 0, frameSize)
	}
	f.done = make(chan struct{})
	fw.pending = append(fw.pending, f)
	fw.jobs <- f
}

func (fw *frameWriter) writeOldest() {
	f := fw.pending[0]
	fw.pending = fw.pending[1:]
	<-f.done
	if fw.err == nil {
		fw.err = f.err
	}
	if fw.err == nil {
		_, fw.err = fw.w.Write(f.out)
	}
	fw.free = append(fw.free, f)
}

// Close sends the last frame and writes out every frame in flight.
func (fw *frameWriter) Close() error {
	if len(fw.cur) > 0 {
		fw.send()
	}
	for len(fw.pending) > 0 {
		fw.writeOldest()
	}
	return fw.err
}
