package pack

import (
	"errors"
	"fmt"
	"io"

	"golang.org/x/sys/unix"
)

var zeros = make([]byte, 1<<20)

// copyFileData copies exactly size bytes of the file at path to w. Holes of
// a sparse file are written as zeros without reading them. A file that
// changed size while being read is an error, never a silently short entry.
// It reads through a raw descriptor: os.File's poller registration costs
// three system calls per file, which shows on a root of small files.
func copyFileData(w io.Writer, path string, size, blocks int64, buf []byte) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOATIME, 0)
	if errors.Is(err, unix.EPERM) {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	}
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if blocks*512 >= size {
		return copyRange(w, fd, 0, size, buf)
	}
	return copySparse(w, fd, size, buf)
}

// copyRange copies n bytes from fd at off.
func copyRange(w io.Writer, fd int, off, n int64, buf []byte) error {
	for n > 0 {
		k, err := unix.Pread(fd, buf[:min(int64(len(buf)), n)], off)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if k == 0 {
			return fmt.Errorf("file shrank by %d bytes while being read", n)
		}
		if _, err := w.Write(buf[:k]); err != nil {
			return err
		}
		off, n = off+int64(k), n-int64(k)
	}
	return nil
}

// copySparse walks data and hole ranges with SEEK_DATA and SEEK_HOLE.
func copySparse(w io.Writer, fd int, size int64, buf []byte) error {
	for off := int64(0); off < size; {
		data, err := unix.Seek(fd, off, unix.SEEK_DATA)
		if errors.Is(err, unix.ENXIO) {
			data = size
		} else if err != nil {
			return copyRange(w, fd, off, size-off, buf)
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
		if err := copyRange(w, fd, data, hole-data, buf); err != nil {
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
