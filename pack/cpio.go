package pack

import (
	"context"
	"errors"
	"fmt"

	"github.com/chrootbuild/chrootbuild/check"
)

// Cpio writes the root as a deterministic newc cpio archive, usable as an
// initramfs (the rescue image runs from RAM).
//
//	output "cpio" {
//	  path        = "initrd.img"
//	  compression = "zstd"
//	}
type Cpio struct {
	Path        string `hcl:"path"`
	Compression string `hcl:"compression,optional"`
}

func init() { register("cpio", func() Output { return &Cpio{Compression: "none"} }) }

// Compressions lists the compressions a cpio takes (those the kernel
// unpacks an initramfs from).
func (c *Cpio) Compressions() []string { return []string{"none", "gzip", "zstd"} }

// SetFile sets the path and compression (default: from the extension).
func (c *Cpio) SetFile(path string, o FileOptions) {
	c.Path, c.Compression = path, or(o.Compression, compressionFromName(path))
}

// Check validates the path and compression.
func (c *Cpio) Check() error {
	return errors.Join(checkOutPath("path", c.Path),
		check.OneOf("compression", c.Compression, c.Compressions()...))
}

// Summary describes the output in one line.
func (c *Cpio) Summary() string {
	return fmt.Sprintf("cpio %s (compression %s)", c.Path, c.Compression)
}

// OutputPath returns the file as written.
func (c *Cpio) OutputPath() string { return c.Path }

// Write archives the root into the file.
func (c *Cpio) Write(ctx context.Context, env *Env) error {
	return writeFile(ctx, env, c.Path, func(ctx context.Context, f *outFile) error {
		return WriteCpio(ctx, env.RootDir, f, c.Compression)
	})
}
