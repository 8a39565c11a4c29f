package provision

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// Symlink creates a symbolic link in the image:
//
//	provision "symlink" {
//	  path   = "/etc/resolv.conf"
//	  target = "/run/systemd/resolve/stub-resolv.conf"
//	}
//
// The target is stored as written (absolute targets are read inside the
// image when it runs). A file or link already at path is replaced, like
// `ln -sfn`; a folder there is an error.
type Symlink struct {
	Path   string `hcl:"path"`
	Target string `hcl:"target"`
}

func init() {
	register("symlink", func() Step { return &Symlink{} })
}

// Check validates the attributes without touching the system.
func (s *Symlink) Check() error {
	errs := []error{check.AbsPath("path", s.Path)}
	if s.Path == "/" {
		errs = append(errs, check.Fieldf("path", "the image root itself cannot be a symlink"))
	}
	switch {
	case s.Target == "":
		errs = append(errs, check.Fieldf("target", "target is empty"))
	case strings.ContainsRune(s.Target, 0):
		errs = append(errs, check.Fieldf("target", "target contains a NUL byte"))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (s *Symlink) Summary() string { return fmt.Sprintf("symlink %s -> %s", s.Path, s.Target) }

// Apply creates the link, replacing a file or link already there.
func (s *Symlink) Apply(ctx context.Context, env *Env) error {
	return setSymlink(env.Root, s.Target, s.Path)
}

// setSymlink makes name a symlink to target inside the root, creating
// missing parent folders and replacing a file or link (never a folder)
// already at name.
func setSymlink(r *chroot.Root, target, name string) error {
	if err := r.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	fi, err := r.Lstat(name)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("linking %s: a folder is in the way", name)
	case err == nil:
		if err := r.Remove(name); err != nil {
			return err
		}
	case !isNotExist(err):
		return err
	}
	if err := r.Symlink(target, name); err != nil {
		return fmt.Errorf("linking %s to %s: %w", name, target, err)
	}
	return nil
}
