package nbd

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

var zeroBuf = make([]byte, chunkSize)

// copyData sends [start, end) of f, skipping all-zero runs.
func (c *Client) copyData(q *queue, f *os.File, buf []byte, start, end int64) error {
	for off := start; off < end; {
		n := int(min(int64(len(buf)), end-off))
		if _, err := io.ReadFull(io.NewSectionReader(f, off, int64(n)), buf[:n]); err != nil {
			return fmt.Errorf("reading image at %d: %w", off, err)
		}
		if err := c.sendChunk(q, buf[:n], off); err != nil {
			return err
		}
		off += int64(n)
	}
	return nil
}

// sendChunk writes the non-zero runs of p and zeroes the rest.
func (c *Client) sendChunk(q *queue, p []byte, off int64) error {
	for i := 0; i < len(p); {
		j, zero := i, isZero(p[i:min(i+zeroGrain, len(p))])
		for j < len(p) && isZero(p[j:min(j+zeroGrain, len(p))]) == zero {
			j = min(j+zeroGrain, len(p))
		}
		if zero {
			if err := c.zero(q, off+int64(i), int64(j-i)); err != nil {
				return err
			}
		} else {
			ch, err := c.Write(p[i:j], uint64(off)+uint64(i))
			if err != nil {
				return err
			}
			q.add(ch)
		}
		i = j
	}
	return nil
}

// zero makes [off, off+n) read as zeros on the export.
func (c *Client) zero(q *queue, off, n int64) error {
	for n > 0 {
		var ch <-chan error
		var err error
		if c.CanWriteZeroes() {
			k := min(n, zeroChunk)
			ch, err = c.WriteZeroes(uint64(off), uint32(k))
			off, n = off+k, n-k
		} else {
			k := min(n, int64(c.chunk()))
			ch, err = c.Write(zeroBuf[:k], uint64(off))
			off, n = off+k, n-k
		}
		if err != nil {
			return err
		}
		q.add(ch)
	}
	return nil
}

func isZero(b []byte) bool { return bytes.Equal(b, zeroBuf[:len(b)]) }
