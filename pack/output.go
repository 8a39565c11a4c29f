// Package pack turns an image root into its outputs: a directory, a tar,
// a squashfs, a cpio initramfs, an ext4 image, or a block device / NBD
// export. Each output kind is a small Go value decoded from an
// `output "KIND"` block and registered once in kinds.
package pack

import (
	"context"
	"io"
	"sort"
)

// Output is one artefact produced from a finished root.
//
// An output is decoded from HCL with gohcl: its fields carry `hcl` tags, and
// the constructor in kinds sets defaults before decoding.
type Output interface {
	// Check validates configuration only; it must not touch the system.
	// It returns nil, a *check.FieldError, or several joined with
	// errors.Join.
	Check() error
	// Write produces the output from the root folder. Relative paths are
	// relative to outDir. The file appears under its final name only when
	// complete.
	Write(ctx context.Context, env *Env) error
	// Summary is a one-line description for plan and logs.
	Summary() string
}

// Pathed is implemented by outputs that write a file or folder, so that
// duplicate output paths can be refused.
type Pathed interface {
	// OutputPath returns the path as written in the definition.
	OutputPath() string
}

// Env is what an output needs to write itself.
type Env struct {
	RootDir string    // the finished image root on the host
	OutDir  string    // folder that relative output paths are relative to
	Log     io.Writer // progress and messages
}

var kinds = map[string]func() Output{}

// register adds a kind; it panics on a duplicate, which is a program bug.
func register(name string, ctor func() Output) {
	if _, dup := kinds[name]; dup {
		panic("pack: kind registered twice: " + name)
	}
	kinds[name] = ctor
}

// New returns a new output of the given kind with its defaults, or false
// when the kind is unknown.
func New(kind string) (Output, bool) {
	ctor, ok := kinds[kind]
	if !ok {
		return nil, false
	}
	return ctor(), true
}

// Kinds returns the names of all output kinds, sorted.
func Kinds() []string {
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
