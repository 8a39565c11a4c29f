package pack

import (
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// freePort returns a TCP port on 127.0.0.1 nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startServer runs an NBD server command in the foreground until the test
// ends, and waits until it accepts connections.
func startServer(t *testing.T, port int, name string, args ...string) {
	t.Helper()
	testenv.RequireTool(t, name)
	cmd := exec.Command(name, args...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not listen on %s: %s", name, addr, out.String())
}

// startNbdkit serves an empty in-memory export of size bytes.
func startNbdkit(t *testing.T, size string) string {
	port := freePort(t)
	startServer(t, port, "nbdkit", "-f", "-i", "127.0.0.1", "-p", fmt.Sprint(port), "--exit-with-parent", "memory", size)
	return fmt.Sprintf("nbd://127.0.0.1:%d", port)
}

// startQemuNbd serves file as the export "disk" until the test ends.
func startQemuNbd(t *testing.T, file string) string {
	port := freePort(t)
	startServer(t, port, "qemu-nbd", "-f", "raw", "-b", "127.0.0.1", "-p", fmt.Sprint(port), "-x", "disk", "-t", file)
	return fmt.Sprintf("nbd://127.0.0.1:%d/disk", port)
}
