package pack

import (
	"fmt"
	"io"
	"os/exec"

	"github.com/ulikunitz/xz"
)

// newXZ returns an xz compressor: the host's multi-threaded xz when it is
// installed, the pure Go encoder otherwise.
func newXZ(w io.Writer) (io.WriteCloser, error) {
	path, err := exec.LookPath("xz")
	if err != nil {
		return xz.NewWriter(w)
	}
	cmd := exec.Command(path, "-T0", "-6", "-c")
	cmd.Stdout = w
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting xz: %w", err)
	}
	return &cmdWriter{WriteCloser: stdin, cmd: cmd}, nil
}

// cmdWriter feeds a filter command; Close waits for it.
type cmdWriter struct {
	io.WriteCloser
	cmd *exec.Cmd
}

func (c *cmdWriter) Close() error {
	err := c.WriteCloser.Close()
	if werr := c.cmd.Wait(); werr != nil {
		return fmt.Errorf("running xz: %w", werr)
	}
	return err
}
