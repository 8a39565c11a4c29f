package pack

import (
	"context"
	"errors"
	"fmt"

	"github.com/chrootbuild/chrootbuild/check"
)

// Squashfs writes the root as a squashfs image through Debian's mksquashfs,
// reproducibly. The original images used no compression, the default here.
//
//	output "squashfs" {
//	  path        = "rootfs.sqsh"
//	  compression = "zstd"
//	  level       = 15
//	}
type Squashfs struct {
	Path        string `hcl:"path"`
	Compression string `hcl:"compression,optional"`
	Level       int    `hcl:"level,optional"` // 0: the compressor's default
}

func init() { register("squashfs", func() Output { return &Squashfs{Compression: "none"} }) }

// Compressions lists the compressors mksquashfs is asked for.
func (s *Squashfs) Compressions() []string { return []string{"none", "gzip", "xz", "zstd", "lz4"} }

// SetFile sets the path, compression (default none) and level.
func (s *Squashfs) SetFile(path string, o FileOptions) {
	s.Path, s.Compression, s.Level = path, or(o.Compression, s.Compression), o.Level
}

// Check validates the path, compression and level.
func (s *Squashfs) Check() error {
	errs := []error{checkOutPath("path", s.Path)}
	if err := check.OneOf("compression", s.Compression, s.Compressions()...); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, checkLevel("level", s.Compression, s.Level))
	}
	return errors.Join(errs...)
}

// Summary describes the output in one line.
func (s *Squashfs) Summary() string {
	if s.Level != 0 {
		return fmt.Sprintf("squashfs %s (compression %s, level %d)", s.Path, s.Compression, s.Level)
	}
	return fmt.Sprintf("squashfs %s (compression %s)", s.Path, s.Compression)
}

// OutputPath returns the file as written.
func (s *Squashfs) OutputPath() string { return s.Path }

// Write builds the image with mksquashfs.
func (s *Squashfs) Write(ctx context.Context, env *Env) error {
	return writeFile(ctx, env, s.Path, func(ctx context.Context, f *outFile) error {
		return WriteSquashfs(ctx, env.RootDir, f.Name(), SquashfsOptions{Compression: s.Compression, Level: s.Level})
	})
}
