package nbd

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

const (
	chunkSize  = 4 << 20   // payload of one write request
	zeroGrain  = 64 << 10  // all-zero runs are detected at this size
	zeroChunk  = 256 << 20 // length of one write-zeroes request
	queueDepth = 16        // requests in flight
)

// queue bounds the requests in flight and collects their errors.
type queue struct {
	inflight []<-chan error
	err      error
}

func (q *queue) add(ch <-chan error) {
	q.inflight = append(q.inflight, ch)
	if len(q.inflight) >= queueDepth {
		q.waitOne()
	}
}

func (q *queue) waitOne() {
	if err := <-q.inflight[0]; err != nil && q.err == nil {
		q.err = err
	}
	q.inflight = q.inflight[1:]
}

func (q *queue) wait() error {
	for len(q.inflight) > 0 {
		q.waitOne()
	}
	return q.err
}

// CopyFile writes the first size bytes of f to the export from offset 0:
// data in pipelined writes of 4 MiB, holes and all-zero runs as
// write-zeroes requests (real zeros when the server has no such command),
// then a flush.
func (c *Client) CopyFile(ctx context.Context, f *os.File, size int64) error {
	if c.Flags&FlagReadOnly != 0 {
		return errors.New("the export is read-only")
	}
	if uint64(size) > c.Size {
		return fmt.Errorf("the image (%d bytes) is larger than the export (%d bytes)", size, c.Size)
	}
	q := &queue{}
	buf := make([]byte, c.chunk())
	fd := int(f.Fd())
	for off := int64(0); off < size && q.err == nil; {
		if err := ctx.Err(); err != nil {
			q.wait()
			return err
		}
		data, err := unix.Seek(fd, off, unix.SEEK_DATA)
		if errors.Is(err, unix.ENXIO) {
			data = size
		} else if err != nil {
			data = off // no hole support: treat all as data
		}
		data = min(data, size)
		if err := c.zero(q, off, data-off); err != nil {
			return err
		}
		if data == size {
			break
		}
		end, err := unix.Seek(fd, data, unix.SEEK_HOLE)
		if err != nil {
			end = size
		}
		if err := c.copyData(q, f, buf, data, min(end, size)); err != nil {
			q.wait()
			return err
		}
		off = min(end, size)
	}
	if err := q.wait(); err != nil {
		return err
	}
	return c.Flush()
}

func (c *Client) chunk() int {
	if c.MaxBlock != 0 && c.MaxBlock < chunkSize {
		return int(c.MaxBlock)
	}
	return chunkSize
}
