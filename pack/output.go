// Package pack turns an image root into its outputs: a directory, a tar,
// a squashfs, a cpio initramfs, an ext4 image, or a block device / NBD
// export. Each output kind is a small Go value decoded from an
// `output "KIND"` block, in a file of its own, registered once in kinds;
// it says what it produces through the small interfaces below (File,
// RootArchiver, Targeted, Compressible), and everything else — the
// help of `chrootbuild pack`, the step cache, publishing, boot and the
// README — asks the registry.
package pack

import (
	"context"
	"io"
	"maps"
	"slices"
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

// File is implemented by outputs whose result is one file made only from
// the root, the output's attributes and SOURCE_DATE_EPOCH, with a .sha256
// beside it: the step cache keeps it, `build --publish` uploads it and
// `chrootbuild pack` writes it.
type File interface {
	Output
	Pathed
	// SetFile sets the path (a base name) and the settings of
	// `chrootbuild pack` on a value holding the kind's defaults; empty
	// settings keep the defaults.
	SetFile(path string, o FileOptions)
}

// RootArchiver is implemented by file outputs that can hold the whole
// root as a tar, which `release` pushes as an OCI layer and `boot`
// unpacks.
type RootArchiver interface {
	File
	// RootArchive reports whether this output, as configured, is such a
	// tar (plain, gzip or zstd).
	RootArchive() bool
}

// SBOMWriter is implemented by file outputs that can describe the image
// as an SPDX JSON document (an SBOM), which release attaches to the
// image as an OCI referrer.
type SBOMWriter interface {
	File
	// SBOM reports whether this output, as configured, writes one.
	SBOM() bool
}

// Targeted is implemented by outputs that write to a device rather than
// to a path under the output folder.
type Targeted interface {
	// OutputTarget returns the device or NBD export as written.
	OutputTarget() string
}

// Compressible is implemented by outputs with a compression attribute.
type Compressible interface {
	// Compressions lists the names the compression attribute accepts.
	Compressions() []string
}

// Env is what an output needs to write itself.
type Env struct {
	RootDir string    // the finished image root on the host
	OutDir  string    // folder that relative output paths are relative to
	Log     io.Writer // progress and messages
	// DebDigest returns the SHA-256 of the .deb the package came from,
	// "" when the archive does not list it; nil when nothing knows the
	// archive (chrootbuild pack).
	DebDigest func(ctx context.Context, name, version, arch string) (string, error)
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
func Kinds() []string { return slices.Sorted(maps.Keys(kinds)) }
