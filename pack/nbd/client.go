// Package nbd is a userspace client for the Network Block Device protocol
// (fixed newstyle handshake, NBD_OPT_GO, simple replies), enough to write
// an image to a remote export with no nbd kernel module. It is written
// here because the Go NBD libraries found either drive the kernel's nbd
// device or are servers only, and libnbd's bindings need cgo.
package nbd

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Protocol constants from the NBD specification (doc/proto.md).
const (
	nbdMagic       = 0x4e42444d41474943 // "NBDMAGIC"
	optMagic       = 0x49484156454F5054 // "IHAVEOPT"
	replyMagic     = 0x0003e889045565a9
	requestMagic   = 0x25609513
	simpleMagic    = 0x67446698
	flagFixed      = 1 << 0
	flagNoZeroes   = 1 << 1
	optGo          = 7
	repAck         = 1
	repInfo        = 3
	infoExport     = 0
	infoBlockSize  = 3
	cmdWrite       = 1
	cmdDisc        = 2
	cmdFlush       = 3
	cmdWriteZeroes = 6
)

// Transmission flags the server sends.
const (
	FlagReadOnly        = 1 << 1
	FlagSendFlush       = 1 << 2
	FlagSendWriteZeroes = 1 << 6
)

// Export describes the export a client is connected to.
type Export struct {
	Name     string
	Size     uint64
	Flags    uint16
	MaxBlock uint32 // largest payload the server accepts; 0 if it said nothing
}

// DefaultTimeout is how long the client waits for each step of the
// handshake and for each reply when no other timeout is given.
const DefaultTimeout = 30 * time.Second

// Client is one connection to an NBD export in transmission phase. Every
// handshake step and every reply has a deadline, and cancelling the
// context given to Dial closes the connection, failing whatever waits.
type Client struct {
	Export
	conn    net.Conn
	w       *bufio.Writer
	wmu     sync.Mutex
	timeout time.Duration
	stop    func() bool // stops closing conn when the context ends

	mu      sync.Mutex
	pending map[uint64]chan error
	cookie  uint64
	readErr error
	done    chan struct{}
}

// ParseURL splits nbd://host:port[/export] into an address and an export
// name ("" for the default export).
func ParseURL(s string) (addr, export string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "nbd" || u.Host == "" {
		return "", "", fmt.Errorf("%q is not nbd://host:port[/export]", s)
	}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		return "", "", fmt.Errorf("%q needs a port (nbd://host:port[/export])", s)
	}
	return u.Host, strings.TrimPrefix(u.Path, "/"), nil
}

// Dial connects to addr, negotiates the export with NBD_OPT_GO and
// returns a client ready to write, waiting DefaultTimeout at most for each
// step.
func Dial(ctx context.Context, addr, export string) (*Client, error) {
	return DialTimeout(ctx, addr, export, DefaultTimeout)
}

// DialTimeout is Dial with a deadline of timeout for connecting, for
// each handshake step and for each reply; 0 means DefaultTimeout.
func DialTimeout(ctx context.Context, addr, export string, timeout time.Duration) (*Client, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connecting to nbd://%s: %w", addr, err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	ex, err := handshake(deadlined{conn, timeout}, export)
	if err != nil {
		stop()
		conn.Close()
		return nil, fmt.Errorf("negotiating export %q with %s: %w", export, addr, explain(ctx, err, timeout))
	}
	conn.SetDeadline(time.Time{})
	c := &Client{Export: *ex, conn: conn, w: bufio.NewWriterSize(conn, 1<<20), timeout: timeout, stop: stop,
		pending: map[uint64]chan error{}, done: make(chan struct{})}
	go c.readReplies()
	return c, nil
}

// deadlined gives every read and write on conn its own deadline.
type deadlined struct {
	conn    net.Conn
	timeout time.Duration
}

func (d deadlined) Read(p []byte) (int, error) {
	d.conn.SetReadDeadline(time.Now().Add(d.timeout))
	return d.conn.Read(p)
}

func (d deadlined) Write(p []byte) (int, error) {
	d.conn.SetWriteDeadline(time.Now().Add(d.timeout))
	return d.conn.Write(p)
}

// explain says why a connection failed when it was the deadline or the
// context, which the network error only hints at.
func explain(ctx context.Context, err error, timeout time.Duration) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the server did not answer within %s (--timeout): %w", timeout, err)
	}
	return err
}

// handshake runs the fixed newstyle handshake and NBD_OPT_GO.
func handshake(rw io.ReadWriter, export string) (*Export, error) {
	var hello struct {
		Magic, Opt uint64
		Flags      uint16
	}
	if err := binary.Read(rw, binary.BigEndian, &hello); err != nil {
		return nil, fmt.Errorf("reading greeting: %w", err)
	}
	if hello.Magic != nbdMagic || hello.Opt != optMagic {
		return nil, errors.New("not an NBD newstyle server")
	}
	if hello.Flags&flagFixed == 0 {
		return nil, errors.New("server does not speak fixed newstyle")
	}
	if err := binary.Write(rw, binary.BigEndian, uint32(hello.Flags&(flagFixed|flagNoZeroes))); err != nil {
		return nil, err
	}
	if err := sendGo(rw, export); err != nil {
		return nil, err
	}
	return readGoReplies(rw, export)
}

func sendGo(w io.Writer, export string) error {
	data := binary.BigEndian.AppendUint32(nil, uint32(len(export)))
	data = append(data, export...)
	data = binary.BigEndian.AppendUint16(data, 1)
	data = binary.BigEndian.AppendUint16(data, infoBlockSize)
	msg := binary.BigEndian.AppendUint64(nil, optMagic)
	msg = binary.BigEndian.AppendUint32(msg, optGo)
	msg = binary.BigEndian.AppendUint32(msg, uint32(len(data)))
	_, err := w.Write(append(msg, data...))
	return err
}
