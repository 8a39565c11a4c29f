package pack

import (
	"context"
	"fmt"
)

// Directory copies the finished root to a folder, keeping owners, modes,
// xattrs, hard links, device nodes and fifos.
//
//	output "directory" { path = "rootfs" }
type Directory struct {
	Path string `hcl:"path"`
}

func init() { register("directory", func() Output { return &Directory{} }) }

// Check validates the path.
func (d *Directory) Check() error { return checkOutPath("path", d.Path) }

// Summary describes the output in one line.
func (d *Directory) Summary() string { return fmt.Sprintf("directory %s", d.Path) }

// OutputPath returns the folder as written.
func (d *Directory) OutputPath() string { return d.Path }

// Write copies the root to a temporary folder beside the path and renames
// it when complete.
func (d *Directory) Write(ctx context.Context, env *Env) error {
	return writeDirectory(ctx, env, d.Path)
}
