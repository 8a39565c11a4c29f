package nbd

import (
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// startNbdkit serves an in-memory export of size bytes on loopback until
// the test ends and returns its address.
func startNbdkit(t testing.TB, size int64, extra ...string) string {
	t.Helper()
	testenv.RequireTool(t, "nbdkit")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	args := append([]string{"-f", "-i", "127.0.0.1", "-p", fmt.Sprint(port), "--exit-with-parent"}, extra...)
	args = append(args, "memory", fmt.Sprint(size))
	cmd := exec.Command("nbdkit", args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nbdkit did not listen on %s", addr)
	return ""
}
