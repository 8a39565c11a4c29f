package pack

import (
	"compress/gzip"
	"fmt"
	"io"
	"runtime"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
)

// nopCloser adds a no-op Close to a writer.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// compress wraps w with the named compressor. gzip and zstd compress on
// all CPUs; xz uses the host's xz -T0 when present (many times faster than
// the pure Go encoder), else github.com/ulikunitz/xz.
func compress(w io.Writer, name string) (io.WriteCloser, error) {
	procs := runtime.GOMAXPROCS(0)
	switch name {
	case "", "none":
		return nopCloser{w}, nil
	case "gzip":
		gw, err := pgzip.NewWriterLevel(w, gzip.DefaultCompression)
		if err != nil {
			return nil, err
		}
		if err := gw.SetConcurrency(1<<20, 2*procs); err != nil {
			return nil, err
		}
		return gw, nil
	case "zstd":
		return zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithEncoderConcurrency(procs), zstd.WithConcurrentBlocks(procs > 1))
	case "xz":
		return newXZ(w)
	}
	return nil, fmt.Errorf("unknown compression %q", name)
}
