package pack

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/nbdtest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// silentServer accepts connections on loopback and never says a word,
// as a hung NBD server does; it returns its nbd:// URL.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "nbd://" + l.Addr().String()
}

// emptyDir fails unless dir holds nothing: temporary files are gone.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("left behind in the temporary folder: %s", e.Name())
	}
}

func TestInstallExportTooSmall(t *testing.T) {
	testenv.RequireRoot(t)
	root, tmp := synthRoot(t), t.TempDir()
	err := Install(context.Background(), root, "nbd://"+nbdtest.Nbdkit(t, "100", nil)+"/", InstallOptions{TempDir: tmp})
	if err == nil || !strings.Contains(err.Error(), "the export holds 100 bytes") || !strings.Contains(err.Error(), "needs at least") {
		t.Fatalf("install on a 100-byte export = %v, want an error naming both sizes", err)
	}
	emptyDir(t, tmp)
}

// TestInstallSilentServerTimesOut: a server that accepts and never
// answers ends the install with a timeout error within the deadline, from
// a tar (extracted into the temporary folder) as from a folder.
func TestInstallSilentServerTimesOut(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	for _, src := range []string{root, tarOf(t, root)} {
		tmp, url := t.TempDir(), silentServer(t)
		start := time.Now()
		err := Install(context.Background(), src, url, InstallOptions{TempDir: tmp, Timeout: time.Second})
		took := time.Since(start)
		if err == nil || !strings.Contains(err.Error(), "did not answer within 1s") {
			t.Errorf("install on a silent server = %v, want a timeout error", err)
		}
		if took > 20*time.Second { // the tar's extraction comes first
			t.Errorf("install took %v with a 1s timeout", took)
		}
		emptyDir(t, tmp)
	}
}

// TestInstallCancelledWhileWaiting: cancelling the context (what SIGINT
// and SIGTERM do) ends a handshake that waits for a silent server.
func TestInstallCancelledWhileWaiting(t *testing.T) {
	testenv.RequireRoot(t)
	root, tmp := synthRoot(t), t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	err := Install(ctx, root, silentServer(t), InstallOptions{TempDir: tmp, Timeout: time.Hour})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("cancelled install = %v, want context canceled", err)
	}
	emptyDir(t, tmp)
}

// TestInstallRepliesTimeOut: nbdkit's delay filter holds every write
// reply for 60 s; with a 2 s timeout the install fails on the first write
// instead of waiting, and removes its temporary image.
func TestInstallRepliesTimeOut(t *testing.T) {
	testenv.RequireRoot(t)
	root, tmp := synthRoot(t), t.TempDir()
	url := "nbd://" + nbdtest.Nbdkit(t, "64M", []string{"--filter=delay"}, "delay-write=60", "delay-zero=60") + "/"
	err := Install(context.Background(), root, url, InstallOptions{TempDir: tmp, Timeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "did not answer within 2s") {
		t.Errorf("install with unanswered writes = %v, want a timeout error", err)
	}
	emptyDir(t, tmp)
}
