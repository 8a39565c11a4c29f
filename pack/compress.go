package pack

import (
	"compress/gzip"
	"fmt"
	"io"
	"runtime"

	"github.com/klauspost/pgzip"
)

// nopCloser adds a no-op Close to a writer.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// compress wraps w with the named compressor, on all CPUs: gzip through
// github.com/klauspost/pgzip, zstd and xz through the host's zstd and xz
// when installed, else their Go encoders.
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
		return newZstd(w, procs)
	case "xz":
		return newXZ(w)
	}
	return nil, fmt.Errorf("unknown compression %q", name)
}
