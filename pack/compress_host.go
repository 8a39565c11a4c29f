package pack

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// newXZ returns an xz compressor: the host's multi-threaded xz when it is
// installed (the pure Go encoder is many times slower), else
// github.com/ulikunitz/xz.
func newXZ(w io.Writer) (io.WriteCloser, error) {
	if c, ok, err := hostFilter(w, "xz", "-T0", "-6", "-c"); ok {
		return c, err
	}
	return xz.NewWriter(w)
}

// newZstd returns a zstd compressor at level 3: the host's zstd -T0 when
// installed (measured faster on a root than the Go encoder, whose output
// is also a little larger), else github.com/klauspost/compress/zstd.
// zstd's multi-threaded output does not depend on the thread count.
func newZstd(w io.Writer, procs int) (io.WriteCloser, error) {
	if c, ok, err := hostFilter(w, "zstd", "-q", "-3", "-T0", "-c"); ok {
		return c, err
	}
	return zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(procs))
}

// hostFilter starts a host compressor writing to w; ok is false when the
// program is not installed.
func hostFilter(w io.Writer, name string, args ...string) (io.WriteCloser, bool, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, false, nil
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout = w
	if f, ok := w.(*outFile); ok {
		// Straight into the output file, which writeFile then hashes
		// while it syncs: no copy through this process.
		cmd.Stdout = f.File
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, true, err
	}
	if err := cmd.Start(); err != nil {
		return nil, true, fmt.Errorf("starting %s: %w", name, err)
	}
	return &cmdWriter{Writer: bufio.NewWriterSize(stdin, filterBufSize), stdin: stdin, cmd: cmd}, true, nil
}

// filterBufSize is how much a filter command's input is gathered into one
// write: the tar writer writes each 512-byte header apart, and a system
// call (and a wake-up of the filter) for each cost more than the copy.
const filterBufSize = 1 << 20

// cmdWriter feeds a filter command through a buffer; Close flushes it
// and waits for the command.
type cmdWriter struct {
	*bufio.Writer
	stdin io.WriteCloser
	cmd   *exec.Cmd
}

func (c *cmdWriter) Close() error {
	err := c.Writer.Flush()
	if cerr := c.stdin.Close(); err == nil {
		err = cerr
	}
	if werr := c.cmd.Wait(); werr != nil {
		return fmt.Errorf("running %s: %w", c.cmd.Path, werr)
	}
	return err
}
