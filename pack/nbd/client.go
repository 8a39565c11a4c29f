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

// Client is one connection to an NBD export in transmission phase.
type Client struct {
	Export
	conn net.Conn
	w    *bufio.Writer
	wmu  sync.Mutex

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
// returns a client ready to write.
func Dial(ctx context.Context, addr, export string) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connecting to nbd://%s: %w", addr, err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	ex, err := handshake(conn, export)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("negotiating export %q with %s: %w", export, addr, err)
	}
	c := &Client{Export: *ex, conn: conn, w: bufio.NewWriterSize(conn, 1<<20),
		pending: map[uint64]chan error{}, done: make(chan struct{})}
	go c.readReplies()
	return c, nil
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
