package boot

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sync"
	"time"
)

// console keeps everything the guest printed on its serial port and lets
// checks wait for a pattern.
type console struct {
	mu      sync.Mutex
	text    []byte
	changed chan struct{}
	closed  bool
	tee     io.Writer
}

func newConsole(tee io.Writer) *console {
	return &console{changed: make(chan struct{}), tee: tee}
}

// readFrom copies r into the console until r ends.
func (c *console) readFrom(r io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			c.mu.Lock()
			c.text = append(c.text, buf[:n]...)
			if c.tee != nil {
				c.tee.Write(buf[:n])
			}
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
		}
		if err != nil {
			c.mu.Lock()
			c.closed = true
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
			return
		}
	}
}

// Len is the length of the output so far: an offset for later waits.
func (c *console) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.text)
}

// Since returns the output from offset on.
func (c *console) Since(offset int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if offset > len(c.text) {
		return ""
	}
	return string(c.text[offset:])
}

// WaitFor waits until re matches the output after offset and returns the
// match and the offset just past it.
func (c *console) WaitFor(ctx context.Context, re *regexp.Regexp, offset int, timeout time.Duration) (string, int, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		text, changed, closed := c.text, c.changed, c.closed
		c.mu.Unlock()
		if offset <= len(text) {
			if loc := re.FindIndex(text[offset:]); loc != nil {
				return string(text[offset+loc[0] : offset+loc[1]]), offset + loc[1], nil
			}
		}
		if closed {
			return "", offset, fmt.Errorf("the console closed before %q appeared", re)
		}
		select {
		case <-changed:
		case <-deadline.C:
			return "", offset, fmt.Errorf("%q did not appear on the console within %s", re, timeout)
		case <-ctx.Done():
			return "", offset, ctx.Err()
		}
	}
}

// Closed reports whether the console's source (QEMU) has ended.
func (c *console) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}
