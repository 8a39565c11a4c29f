// Package filehash is the one owner of how chrootbuild hashes a file
// (SHA-256, read in large pieces) and of the NAME.sha256 file written beside
// every file output, in sha256sum's format ("HEX  BASENAME\n"), which
// `sha256sum -c` checks and publishing uploads.
package filehash

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// bufSize is the read size: os.File's WriteTo, which io.Copy would take,
// reads 32 KiB at a time. The buffers are reused: a tree of many small
// files is hashed one file at a time.
const bufSize = 4 << 20

var bufs = sync.Pool{New: func() any { b := make([]byte, bufSize); return &b }}

// Write copies the content of the file name into w (a hash, usually) and
// returns its length.
func Write(w io.Writer, name string) (int64, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, fmt.Errorf("hashing %s: %w", name, err)
	}
	defer f.Close()
	n, err := copyFrom(w, f)
	if err != nil {
		return n, fmt.Errorf("hashing %s: %w", name, err)
	}
	return n, nil
}

// copyFrom copies r into w in bufSize reads.
func copyFrom(w io.Writer, r io.Reader) (int64, error) {
	buf := bufs.Get().(*[]byte)
	defer bufs.Put(buf)
	return io.CopyBuffer(w, struct{ io.Reader }{r}, *buf)
}

// RawOf returns the SHA-256 of what r holds, for a file the caller opened
// its own way (without following symlinks, say).
func RawOf(r io.Reader) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	h := sha256.New()
	if _, err := copyFrom(h, r); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// Raw returns the SHA-256 of the file name's content.
func Raw(name string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	h := sha256.New()
	if _, err := Write(h, name); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// Sum returns the SHA-256 of the file name's content, in hex.
func Sum(name string) (string, error) {
	sum, err := Raw(name)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sum[:]), nil
}

// Copy copies r into w (a file being written, usually) and returns the
// SHA-256 of what it copied, in hex: the file is hashed as it is written,
// not read again.
func Copy(w io.Writer, r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := copyFrom(io.MultiWriter(w, h), r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SidecarName is the name of the checksum file beside name.
func SidecarName(name string) string { return name + ".sha256" }

// SidecarLine is the content of the sidecar of a file called name (a
// path or a key; only its last element is written) with the sum (hex).
func SidecarLine(name, sum string) string {
	return sum + "  " + path.Base(filepath.ToSlash(name)) + "\n"
}

// WriteSidecar writes name.sha256 saying that name has the SHA-256 sum
// (hex), through a temporary file and a rename.
func WriteSidecar(name, sum string) error {
	return writeAtomic(SidecarName(name), []byte(SidecarLine(name, sum)))
}

// ReadSidecar returns the sum that name.sha256 gives for name; the error
// satisfies os.IsNotExist when there is none.
func ReadSidecar(name string) (string, error) {
	b, err := os.ReadFile(SidecarName(name))
	if err != nil {
		return "", err
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return "", fmt.Errorf("reading %s: it is empty", SidecarName(name))
	}
	if _, err := hex.DecodeString(fields[0]); err != nil || len(fields[0]) != 2*sha256.Size {
		return "", fmt.Errorf("reading %s: %q is not a SHA-256 sum", SidecarName(name), fields[0])
	}
	return strings.ToLower(fields[0]), nil
}

// writeAtomic writes data to name through a temporary file and a rename.
func writeAtomic(name string, data []byte) error {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating temporary file for %s: %w", name, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
