package pack

import (
	"fmt"
	"path/filepath"
	"strings"
)

// FileOptions are the settings of a file output built outside a
// definition (chrootbuild pack).
type FileOptions struct {
	Compression string // "" keeps the kind's default (tar and cpio: from the file's extension)
	Level       int    // squashfs only
	Size        string // ext4 only; "" is "auto"
	Label       string // ext4 only
}

// NewFile returns the file output of the given kind (see FileKinds) that
// writes path (its base name; Env.OutDir is its folder), checked.
func NewFile(kind, path string, o FileOptions) (File, error) {
	out, ok := New(kind)
	f, file := out.(File)
	if !ok || !file {
		return nil, fmt.Errorf("format %q is not one of %s", kind, strings.Join(FileKinds(), ", "))
	}
	f.SetFile(filepath.Base(path), o)
	if err := f.Check(); err != nil {
		return nil, err
	}
	return f, nil
}

// compressionFromName guesses a stream compression from a file's
// extension (rootfs.tar.zst, initrd.cpio.gz): "none" when it has none of
// them.
func compressionFromName(name string) string {
	for ext, c := range map[string]string{".gz": "gzip", ".tgz": "gzip", ".zst": "zstd", ".tzst": "zstd", ".xz": "xz", ".txz": "xz"} {
		if strings.HasSuffix(name, ext) {
			return c
		}
	}
	return "none"
}

// or returns a unless it is empty, else b.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
