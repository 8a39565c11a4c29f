package nbd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// errClosed is returned for requests after the connection ended.
var errClosed = errors.New("nbd connection closed")

// send queues one request; the returned channel yields the server's
// answer. Requests are pipelined: send does not wait for replies.
func (c *Client) send(typ uint16, off uint64, length uint32, payload []byte) (<-chan error, error) {
	ch := make(chan error, 1)
	c.mu.Lock()
	if c.readErr != nil {
		err := c.readErr
		c.mu.Unlock()
		return nil, err
	}
	c.cookie++
	cookie := c.cookie
	if typ != cmdDisc {
		c.pending[cookie] = ch
		// The reply is due within the timeout; the reader extends or
		// clears the deadline as replies come, under the same lock.
		c.conn.SetReadDeadline(time.Now().Add(c.timeout))
	}
	c.mu.Unlock()
	hdr := make([]byte, 28)
	binary.BigEndian.PutUint32(hdr, requestMagic)
	binary.BigEndian.PutUint16(hdr[6:], typ)
	binary.BigEndian.PutUint64(hdr[8:], cookie)
	binary.BigEndian.PutUint64(hdr[16:], off)
	binary.BigEndian.PutUint32(hdr[24:], length)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(c.timeout))
	if _, err := c.w.Write(hdr); err != nil {
		return nil, err
	}
	if _, err := c.w.Write(payload); err != nil {
		return nil, err
	}
	return ch, c.w.Flush()
}

// readReplies matches simple replies to pending requests until the
// connection ends.
func (c *Client) readReplies() {
	defer close(c.done)
	var rep [16]byte
	for {
		if _, err := io.ReadFull(c.conn, rep[:]); err != nil {
			c.fail(err)
			return
		}
		if binary.BigEndian.Uint32(rep[:]) != simpleMagic {
			c.fail(errors.New("malformed reply from server"))
			return
		}
		errno := binary.BigEndian.Uint32(rep[4:])
		cookie := binary.BigEndian.Uint64(rep[8:])
		c.mu.Lock()
		ch, ok := c.pending[cookie]
		delete(c.pending, cookie)
		if len(c.pending) == 0 {
			c.conn.SetReadDeadline(time.Time{}) // idle: nothing is due
		} else {
			c.conn.SetReadDeadline(time.Now().Add(c.timeout))
		}
		c.mu.Unlock()
		if !ok {
			c.fail(fmt.Errorf("reply to unknown request %d", cookie))
			return
		}
		if errno != 0 {
			ch <- fmt.Errorf("server error: %w", syscall.Errno(errno))
		} else {
			ch <- nil
		}
	}
}

// fail ends every pending request with err.
func (c *Client) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readErr == nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			err = fmt.Errorf("the server did not answer within %s (--timeout): %w", c.timeout, err)
		}
		c.readErr = fmt.Errorf("%w: %v", errClosed, err)
	}
	for k, ch := range c.pending {
		ch <- c.readErr
		delete(c.pending, k)
	}
}

// Write sends an NBD_CMD_WRITE of p at off without waiting for the reply.
func (c *Client) Write(p []byte, off uint64) (<-chan error, error) {
	return c.send(cmdWrite, off, uint32(len(p)), p)
}

// WriteZeroes asks the server to zero length bytes at off; the caller
// checks CanWriteZeroes first.
func (c *Client) WriteZeroes(off uint64, length uint32) (<-chan error, error) {
	return c.send(cmdWriteZeroes, off, length, nil)
}

// CanWriteZeroes reports whether the server accepts NBD_CMD_WRITE_ZEROES.
func (c *Client) CanWriteZeroes() bool { return c.Flags&FlagSendWriteZeroes != 0 }

// Flush waits for an NBD_CMD_FLUSH: everything written before is on
// stable storage. A server that does not advertise flush needs none.
func (c *Client) Flush() error {
	if c.Flags&FlagSendFlush == 0 {
		return nil
	}
	ch, err := c.send(cmdFlush, 0, 0, nil)
	if err != nil {
		return err
	}
	return <-ch
}

// Close disconnects cleanly with NBD_CMD_DISC and closes the connection.
func (c *Client) Close() error {
	_, err := c.send(cmdDisc, 0, 0, nil)
	if cw, ok := c.conn.(interface{ CloseWrite() error }); ok && err == nil {
		// Wait (briefly) for the server to close its side, so the export
		// is released before we return.
		cw.CloseWrite()
		c.conn.SetReadDeadline(time.Now().Add(min(c.timeout, 5*time.Second)))
		<-c.done
	}
	c.stop()
	if cerr := c.conn.Close(); err == nil {
		err = cerr
	}
	return err
}
