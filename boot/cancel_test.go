package boot_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestBootCancelKillsQEMU boots a tiny root, cancels boot (as Ctrl-C
// does) once QEMU runs, and wants Run to return the cancellation at once
// with no QEMU left behind.
func TestBootCancelKillsQEMU(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "qemu-system-x86_64")
	testenv.RequireTool(t, "nc")
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/os-release"), []byte("ID=debian\nVERSION_CODENAME=bookworm\n"), 0o644)
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte("Package: dpkg\nArchitecture: amd64\n"), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &watchWriter{want: "boot: starting", seen: make(chan struct{})}
	result := make(chan error, 1)
	go func() {
		_, err := boot.Run(ctx, boot.Options{Image: root, Log: log, Timeout: 10 * time.Minute})
		result <- err
	}()
	select {
	case <-log.seen:
	case err := <-result:
		t.Fatalf("boot ended before QEMU started: %v", err)
	case <-time.After(10 * time.Minute):
		t.Fatal("QEMU did not start")
	}
	time.Sleep(3 * time.Second)
	if n := qemuChildren(t); n != 1 {
		t.Fatalf("%d QEMU children while booting, want 1", n)
	}
	cancel()
	select {
	case err := <-result:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled boot returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("boot did not return within 30s of the cancellation")
	}
	if n := qemuChildren(t); n != 0 {
		t.Fatalf("%d QEMU processes left after boot returned", n)
	}
}

// qemuChildren counts this process's children that run QEMU.
func qemuChildren(t *testing.T) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	n := 0
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(b)
		end := strings.LastIndexByte(s, ')')
		if end < 0 || !strings.Contains(s[:end], "(qemu-system") {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) {
			n++
		}
	}
	return n
}

// watchWriter closes seen when want has been written.
type watchWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	want string
	seen chan struct{}
	done bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.done && strings.Contains(w.buf.String(), w.want) {
		w.done = true
		close(w.seen)
	}
	return len(p), nil
}
