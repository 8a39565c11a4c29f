package pack

import (
	"fmt"
	"path/filepath"
	"strings"
)

// FileOptions are the settings of a file output built outside a
// definition (chrootbuild pack).
type FileOptions struct {
	Compression string // "" picks one from the file's extension
	Level       int    // squashfs only
	Size        string // ext4 only; "" is "auto"
	Label       string // ext4 only
}

// Formats are the kinds chrootbuild pack writes.
var Formats = []string{"tar", "squashfs", "cpio", "ext4"}

// NewFile returns the output of the given format that writes path (its
// base name; Env.OutDir is its folder), checked.
func NewFile(format, path string, o FileOptions) (Output, error) {
	base := filepath.Base(path)
	if o.Compression == "" {
		o.Compression = compressionFromName(format, base)
	}
	var out Output
	switch format {
	case "tar":
		out = &Tar{Path: base, Compression: o.Compression}
	case "squashfs":
		out = &Squashfs{Path: base, Compression: o.Compression, Level: o.Level}
	case "cpio":
		out = &Cpio{Path: base, Compression: o.Compression}
	case "ext4":
		e := kinds["ext4"]().(*Ext4) // the kind's defaults
		e.Path = base
		if o.Size != "" {
			e.Size = o.Size
		}
		if o.Label != "" {
			e.Label = o.Label
		}
		out = e
	default:
		return nil, fmt.Errorf("format %q is not one of %s", format, strings.Join(Formats, ", "))
	}
	if err := out.Check(); err != nil {
		return nil, err
	}
	return out, nil
}

// compressionFromName guesses a tar or cpio compression from the file's
// extension (rootfs.tar.zst, initrd.cpio.gz); squashfs and anything else
// default to none.
func compressionFromName(format, name string) string {
	if format != "tar" && format != "cpio" {
		return "none"
	}
	for ext, c := range map[string]string{".gz": "gzip", ".tgz": "gzip", ".zst": "zstd", ".tzst": "zstd", ".xz": "xz", ".txz": "xz"} {
		if strings.HasSuffix(name, ext) {
			return c
		}
	}
	return "none"
}
