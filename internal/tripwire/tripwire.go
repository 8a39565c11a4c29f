// Package tripwire is a TCP listener on the host's loopback that counts the
// connections it gets: what a sandboxed command or a guest is not meant
// to reach, to tell whether it did.
package tripwire

import (
	"net"
	"sync/atomic"
	"time"
)

// Listener accepts and closes connections on 127.0.0.1, counting them.
type Listener struct {
	ln net.Listener
	n  atomic.Int32
}

// Listen starts a Listener on a port the kernel picks.
func Listen() (*Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &Listener{ln: ln}
	go l.serve()
	return l, nil
}

func (l *Listener) serve() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		l.n.Add(1)
		c.Close()
	}
}

// Port is the listener's port.
func (l *Listener) Port() int { return l.ln.Addr().(*net.TCPAddr).Port }

// Connections waits up to wait for at least want connections and returns
// how many arrived.
func (l *Listener) Connections(want int, wait time.Duration) int {
	deadline := time.Now().Add(wait)
	for int(l.n.Load()) < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return int(l.n.Load())
}

// Close stops listening.
func (l *Listener) Close() error { return l.ln.Close() }
