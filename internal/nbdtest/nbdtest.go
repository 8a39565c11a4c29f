// Package nbdtest runs NBD servers on loopback for tests: nbdkit with an
// in-memory export, and qemu-nbd serving a file. Each stops when the test
// ends.
package nbdtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/loopback"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Nbdkit serves an empty in-memory export of size (nbdkit's syntax: bytes,
// or like "64M") with nbdkit's options (like "--filter=delay" or
// "--filter=nozero") and the parameters after the plugin's (like
// "delay-write=60"), and returns its host:port.
func Nbdkit(t testing.TB, size string, options []string, params ...string) string {
	t.Helper()
	addr := loopback.FreeAddr(t)
	host, port, _ := strings.Cut(addr, ":")
	args := append([]string{"-f", "-i", host, "-p", port, "--exit-with-parent"}, options...)
	args = append(args, "memory", size)
	start(t, addr, "nbdkit", append(args, params...)...)
	return addr
}

// QemuNbd serves file (raw) as the export "disk" with qemu-nbd and returns
// its host:port.
func QemuNbd(t testing.TB, file string) string {
	t.Helper()
	addr := loopback.FreeAddr(t)
	host, port, _ := strings.Cut(addr, ":")
	start(t, addr, "qemu-nbd", "-f", "raw", "-b", host, "-p", port, "-x", "disk", "-t", file)
	return addr
}

// start runs a server in the foreground until the test ends and waits
// until it listens on addr.
func start(t testing.TB, addr, name string, args ...string) {
	t.Helper()
	bin := testenv.RequireTool(t, name)
	logFile := filepath.Join(t.TempDir(), name+".log")
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
	})
	loopback.WaitListening(t, addr, logFile)
}
