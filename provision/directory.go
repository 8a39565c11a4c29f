package provision

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/chrootbuild/chrootbuild/check"
)

// Directory creates a folder (and its missing parents, 0755 root:root):
//
//	provision "directory" {
//	  path  = "/srv/app"
//	  mode  = "0750"
//	  owner = "deploy"
//	}
//
// An existing folder keeps its content; its mode and owner are set
// (root:root unless owner or group say otherwise).
type Directory struct {
	Path  string `hcl:"path"`
	Mode  string `hcl:"mode,optional"`
	Owner string `hcl:"owner,optional"`
	Group string `hcl:"group,optional"`
}

func init() {
	register("directory", func() Step { return &Directory{Mode: "0755"} })
}

// Check validates the attributes without touching the system.
func (d *Directory) Check() error {
	errs := []error{check.AbsPath("path", d.Path), checkOwner("owner", d.Owner), checkOwner("group", d.Group)}
	if _, err := check.Mode("mode", d.Mode); err != nil {
		errs = append(errs, err)
	}
	if d.Path == "/" {
		errs = append(errs, check.Fieldf("path", "the image root itself cannot be provisioned as a directory"))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (d *Directory) Summary() string {
	return fmt.Sprintf("directory %s (mode %s%s)", d.Path, d.Mode, ownerSummary(d.Owner, d.Group))
}

// Apply creates the folder and sets its mode and owner.
func (d *Directory) Apply(ctx context.Context, env *Env) error {
	mode, err := check.Mode("mode", d.Mode)
	if err != nil {
		return err
	}
	if err := env.Root.MkdirAll(d.Path, 0o755); err != nil {
		return err
	}
	fi, err := env.Root.Lstat(d.Path)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("creating %s: it is a symlink; name the folder it points to", d.Path)
	case !fi.IsDir():
		return fmt.Errorf("creating %s: a file that is not a folder is in the way", d.Path)
	}
	uid, gid, err := ownerIDs(env.Root, d.Owner, d.Group)
	if err != nil {
		return err
	}
	return setOwnerMode(env.Root, d.Path, uid, gid, permMode(mode))
}
