// Package provision holds chrootbuild's step kinds: typed, shell-less
// provisioning actions applied to an image root. Each kind is a small Go
// value decoded from a `provision "KIND"` block and registered once in
// kinds; validation, "did you mean" hints, plan and the README's reference
// all derive from that registry.
package provision

import (
	"context"
	"io"
	"maps"
	"slices"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// Step is one provisioning action applied to an image root.
//
// A step is decoded from HCL with gohcl: its fields carry `hcl` tags, and
// the constructor in kinds sets defaults before decoding.
type Step interface {
	// Check validates configuration only; it must not touch the system.
	// It returns nil, a *check.FieldError, or several joined with errors.Join.
	Check() error
	// Apply performs the step against a prepared root.
	Apply(ctx context.Context, env *Env) error
	// Summary is a one-line description for plan and logs.
	Summary() string
}

// Inputs is implemented by steps that read files from the definition's
// folder; the step cache hashes their content.
type Inputs interface {
	// InputFiles returns the paths the step reads, relative to Env.Dir.
	InputFiles() []string
}

// PackageInstaller is implemented by steps that install packages from the
// archive: the builder keys them by the exact versions the archive would
// give them now, so an update of one of them rebuilds the step.
type PackageInstaller interface {
	// InstalledPackages returns the names of the packages the step installs.
	InstalledPackages() []string
}

// Env is what a step needs to apply itself.
type Env struct {
	// Root is the image root, entered through syscalls.
	Root *chroot.Root
	// Dir is the folder of the definition file that declared the step;
	// relative sources resolve against it.
	Dir string
	// Log receives the step's output, already prefixed by the runner.
	Log io.Writer
}

// kinds is the one list of step kinds. Each constructor returns a fresh
// value with its defaults set. Kinds register themselves from their own
// file with register.
var kinds = map[string]func() Step{}

// register adds a kind; it panics on a duplicate, which is a program bug.
func register(name string, ctor func() Step) {
	if _, dup := kinds[name]; dup {
		panic("provision: kind registered twice: " + name)
	}
	kinds[name] = ctor
}

// New returns a new step of the given kind with its defaults, or false
// when the kind is unknown.
func New(kind string) (Step, bool) {
	ctor, ok := kinds[kind]
	if !ok {
		return nil, false
	}
	return ctor(), true
}

// Kinds returns the names of all step kinds, sorted.
func Kinds() []string {
	return slices.Sorted(maps.Keys(kinds))
}
