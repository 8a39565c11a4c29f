package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestInstallSIGTERMWhileServerHangs: `chrootbuild install` of a tar to a
// server that accepts and never answers hangs in the handshake (the
// timeout is an hour); SIGTERM ends it at once, and the tar's extraction
// in the temporary folder is gone.
func TestInstallSIGTERMWhileServerHangs(t *testing.T) {
	testenv.RequireRoot(t)
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "hello"), []byte("hello\n"), 0o644)
	tar := filepath.Join(t.TempDir(), "root.tar")
	if out, err := exec.Command("tar", "-C", src, "-cf", tar, ".").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v: %s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c
		}
	}()
	tmp := t.TempDir()
	cmd := exec.Command(os.Args[0], "install", "--timeout", "1h", "--tmp", tmp, tar, "nbd://"+l.Addr().String())
	cmd.Env = append(os.Environ(), "CHROOTBUILD_TEST_AS_MAIN=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-accepted:
		defer c.Close()
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("install never connected: %s", out.String())
	}
	if ents, _ := os.ReadDir(tmp); len(ents) == 0 {
		t.Error("no extraction folder while waiting: the test would prove nothing about clean-up")
	}
	time.Sleep(300 * time.Millisecond) // into the handshake, waiting for the greeting
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err == nil || !strings.Contains(out.String(), "negotiating export") || !strings.Contains(out.String(), "canceled") {
			t.Errorf("install after SIGTERM: %v, output %q", err, out.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("install still running 10 s after SIGTERM: %s", out.String())
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("install left %d entries in %s", len(ents), tmp)
	}
}
