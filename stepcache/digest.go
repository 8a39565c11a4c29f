package stepcache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
	"golang.org/x/sys/unix"
)

// Digest hashes a folder tree: every entry's relative path, type, mode,
// owner, device number, symlink target, overlay xattrs and file content,
// in sorted order. It returns the hash and the bytes of file content.
func Digest(dir string) (string, int64, error) {
	h := sha256.New()
	var size int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if err := writeRecord(h, p, rel, fi); err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			n, err := filehash.Write(h, p)
			if err != nil {
				return err
			}
			size += n
			writeSize(h, n)
		}
		return nil
	})
	if err != nil {
		return "", 0, fmt.Errorf("hashing %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// writeRecord writes what Digest records of the entry p (rel inside the
// folder hashed, fi its Lstat) before a regular file's content.
func writeRecord(w io.Writer, p, rel string, fi fs.FileInfo) error {
	st := fi.Sys().(*syscall.Stat_t)
	fmt.Fprintf(w, "%q %o %d:%d %d\n", rel, uint32(fi.Mode()), st.Uid, st.Gid, st.Rdev)
	writeXattrs(w, p)
	if fi.Mode()&fs.ModeSymlink != 0 {
		t, err := os.Readlink(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "-> %q\n", t)
	}
	return nil
}

// writeSize ends the record of a regular file, after its content.
func writeSize(w io.Writer, n int64) { fmt.Fprintf(w, "%d bytes\n", n) }

// writeXattrs hashes the overlay xattrs that mark opaque folders and
// redirects, and file capabilities: they are part of a layer's meaning.
// A value longer than xattrMax is neither hashed nor archived.
func writeXattrs(w io.Writer, p string) {
	for _, name := range layerXattrs {
		val := make([]byte, xattrMax)
		n, err := unix.Lgetxattr(p, name, val)
		if err == nil {
			fmt.Fprintf(w, "x %s=%x\n", name, val[:n])
		}
	}
}
