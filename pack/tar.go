package pack

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/chrootbuild/chrootbuild/check"
)

// Tar writes the root as a deterministic POSIX (PAX) tar archive: names
// sorted, numeric owners, xattrs, hard links, devices and fifos kept,
// mtimes clamped to SOURCE_DATE_EPOCH when it is set. A plain, gzip or
// zstd tar is what `release` pushes and `boot` boots.
//
//	output "tar" {
//	  path        = "rootfs.tar.zst"
//	  compression = "zstd"
//	}
type Tar struct {
	Path        string `hcl:"path"`
	Compression string `hcl:"compression,optional"`
}

func init() { register("tar", func() Output { return &Tar{Compression: "none"} }) }

// Compressions lists the compressions a tar takes.
func (t *Tar) Compressions() []string { return []string{"none", "gzip", "zstd", "xz"} }

// Check validates the path and compression.
func (t *Tar) Check() error {
	return errors.Join(checkOutPath("path", t.Path),
		check.OneOf("compression", t.Compression, t.Compressions()...))
}

// Summary describes the output in one line.
func (t *Tar) Summary() string { return fmt.Sprintf("tar %s (compression %s)", t.Path, t.Compression) }

// OutputPath returns the file as written.
func (t *Tar) OutputPath() string { return t.Path }

// SetFile sets the path and compression (default: from the extension).
func (t *Tar) SetFile(path string, o FileOptions) {
	t.Path, t.Compression = path, or(o.Compression, compressionFromName(path))
}

// RootArchive reports whether release and boot read this tar: every
// compression but xz.
func (t *Tar) RootArchive() bool {
	return slices.Contains([]string{"none", "gzip", "zstd"}, t.Compression)
}

// Write archives the root into the file.
func (t *Tar) Write(ctx context.Context, env *Env) error {
	return writeFile(ctx, env, t.Path, func(ctx context.Context, f *outFile) error {
		return WriteTar(ctx, env.RootDir, f, TarOptions{Compression: t.Compression})
	})
}
