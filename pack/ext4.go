package pack

import (
	"context"
	"errors"
	"fmt"

	"github.com/chrootbuild/chrootbuild/check"
)

// MaxLabel is the longest ext4 volume label, in bytes.
const MaxLabel = 16

// Ext4 writes the root as an ext4 file-system image through mke2fs -d (no
// mount), reproducibly: UUID and hash seed derive from the root's content.
//
//	output "ext4" {
//	  path  = "rootfs.ext4"
//	  size  = "auto"
//	  label = "root"
//	}
type Ext4 struct {
	Path  string `hcl:"path"`
	Size  string `hcl:"size,optional"`  // "auto" (used space plus margin) or like "2G"
	Label string `hcl:"label,optional"` // at most 16 bytes
}

func init() { register("ext4", func() Output { return &Ext4{Size: "auto", Label: "rootfs"} }) }

// SetFile sets the path, and the size and label when given.
func (e *Ext4) SetFile(path string, o FileOptions) {
	e.Path, e.Size, e.Label = path, or(o.Size, e.Size), or(o.Label, e.Label)
}

// Check validates the path, size and label.
func (e *Ext4) Check() error {
	errs := []error{checkOutPath("path", e.Path), checkLabel("label", e.Label)}
	if _, err := ParseSize(e.Size); err != nil {
		errs = append(errs, &check.FieldError{Attr: "size", Err: err})
	}
	return errors.Join(errs...)
}

func checkLabel(attr, label string) error {
	if len(label) > MaxLabel {
		return check.Fieldf(attr, "label %q is %d bytes long; ext4 allows at most %d", label, len(label), MaxLabel)
	}
	return nil
}

// Summary describes the output in one line.
func (e *Ext4) Summary() string {
	return fmt.Sprintf("ext4 %s (size %s, label %q)", e.Path, e.Size, e.Label)
}

// OutputPath returns the file as written.
func (e *Ext4) OutputPath() string { return e.Path }

// Write builds the image with mke2fs.
func (e *Ext4) Write(ctx context.Context, env *Env) error {
	size, _ := ParseSize(e.Size)
	return writeFile(ctx, env, e.Path, func(ctx context.Context, f *outFile) error {
		return WriteExt4(ctx, env.RootDir, f.Name(), Ext4Options{Size: size, Label: e.Label, Log: env.Log})
	})
}
