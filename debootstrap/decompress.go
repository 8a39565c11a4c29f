package debootstrap

import (
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"

	"pault.ag/go/debian/deb"
)

// hostXZ is the host's xz, when it has one: liblzma decodes about twice
// as fast as the Go decoder, and in its own process, so decompression runs
// beside our extraction on another core. Without it the Go decoder does.
var hostXZ = sync.OnceValue(func() string {
	p, _ := exec.LookPath("xz")
	return p
})

// decompress returns the uncompressed stream of an ar member named like
// data.tar.xz. Close waits for (or stops) a host decompressor and reports
// its failure.
func decompress(m *deb.ArEntry) (io.ReadCloser, error) {
	ext := memberExt(m.Name)
	if ext == ".xz" && hostXZ() != "" {
		return startXZ(hostXZ(), m.Data)
	}
	return deb.DecompressorFor(ext)(m.Data)
}

// memberExt is the compression suffix of an ar member named like
// data.tar.xz or control.tar.zst: "" for a plain tar.
func memberExt(name string) string {
	if i := strings.Index(name, ".tar"); i >= 0 {
		return name[i+len(".tar"):]
	}
	return ""
}

type procReader struct {
	io.ReadCloser
	cmd    *exec.Cmd
	stderr *strings.Builder
}

func startXZ(xz string, in io.Reader) (io.ReadCloser, error) {
	cmd := exec.Command(xz, "--decompress", "--stdout")
	cmd.Stdin = in
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", xz, err)
	}
	return &procReader{ReadCloser: out, cmd: cmd, stderr: &stderr}, nil
}

// Close ends the decompressor: after a complete read it has exited; after
// an early stop it is killed rather than left writing into a closed pipe.
func (p *procReader) Close() error {
	p.ReadCloser.Close()
	err := p.cmd.Wait()
	if err != nil && p.stderr.Len() > 0 {
		return fmt.Errorf("xz: %v: %s", err, strings.TrimSpace(p.stderr.String()))
	}
	return err
}
