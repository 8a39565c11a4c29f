package pack

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

var zeros = make([]byte, 1<<20)

// copyFileData copies exactly size bytes of the file at path to w. Holes of
// a sparse file are written as zeros without reading them. A file that
// changed size while being read is an error, never a silently short entry.
func copyFileData(w io.Writer, path string, size, blocks int64, buf []byte) error {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOATIME, 0)
	if errors.Is(err, unix.EPERM) {
		f, err = os.Open(path)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if blocks*512 >= size {
		return copyRange(w, f, size, buf)
	}
	return copySparse(w, f, size, buf)
}

func copyRange(w io.Writer, r io.Reader, n int64, buf []byte) error {
	m, err := io.CopyBuffer(w, io.LimitReader(r, n), buf)
	if err != nil {
		return err
	}
	if m != n {
		return fmt.Errorf("file shrank from %d to %d bytes while being read", n, m)
	}
	return nil
}

// copySparse walks data and hole ranges with SEEK_DATA and SEEK_HOLE.
func copySparse(w io.Writer, f *os.File, size int64, buf []byte) error {
	fd := int(f.Fd())
	for off := int64(0); off < size; {
		data, err := unix.Seek(fd, off, unix.SEEK_DATA)
		if errors.Is(err, unix.ENXIO) {
			data = size
		} else if err != nil {
			return copyRange(w, io.NewSectionReader(f, off, size-off), size-off, buf)
		}
		data = min(data, size)
		if err := writeZeros(w, data-off); err != nil {
			return err
		}
		if data == size {
			break
		}
		hole, err := unix.Seek(fd, data, unix.SEEK_HOLE)
		if err != nil {
			return err
		}
		hole = min(hole, size)
		if err := copyRange(w, io.NewSectionReader(f, data, hole-data), hole-data, buf); err != nil {
			return err
		}
		off = hole
	}
	return nil
}

func writeZeros(w io.Writer, n int64) error {
	for n > 0 {
		k := min(n, int64(len(zeros)))
		if _, err := w.Write(zeros[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}
