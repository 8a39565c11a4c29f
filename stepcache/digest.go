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
		st := fi.Sys().(*syscall.Stat_t)
		fmt.Fprintf(h, "%q %o %d:%d %d\n", rel, uint32(fi.Mode()), st.Uid, st.Gid, st.Rdev)
		writeXattrs(h, p)
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "-> %q\n", t)
		case fi.Mode().IsRegular():
			n, err := filehash.Write(h, p)
			if err != nil {
				return err
			}
			size += n
			fmt.Fprintf(h, "%d bytes\n", n)
		}
		return nil
	})
	if err != nil {
		return "", 0, fmt.Errorf("hashing %s: %w", dir, err)
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// writeXattrs hashes the overlay xattrs that mark opaque folders and
// redirects: they are part of a layer's meaning.
func writeXattrs(w io.Writer, p string) {
	for _, name := range []string{"trusted.overlay.opaque", "trusted.overlay.redirect", "security.capability"} {
		val := make([]byte, 256)
		n, err := unix.Lgetxattr(p, name, val)
		if err == nil {
			fmt.Fprintf(w, "x %s=%x\n", name, val[:n])
		}
	}
}
