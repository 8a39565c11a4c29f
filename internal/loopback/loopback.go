// Package loopback helps tests run servers on 127.0.0.1: a free port, and
// waiting until a started server listens.
package loopback

import (
	"net"
	"os"
	"testing"
	"time"
)

// FreeAddr returns a loopback address nobody listens on right now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// WaitListening waits until addr accepts connections, and fails the test
// with the server's log when it does not within 20 seconds.
func WaitListening(t testing.TB, addr, logFile string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(logFile)
	t.Fatalf("server on %s did not start: %s", addr, log)
}
