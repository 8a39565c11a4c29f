package provision

import (
	"context"
	"errors"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Remove deletes files and folders (recursively) from the image:
//
//	provision "remove" {
//	  paths = ["/usr/share/doc/*", "/var/cache/apt/*.bin"]
//	}
//
// Each path is a glob (path.Match syntax per component) resolved inside
// the image; a pattern that matches nothing is not an error. Symlinks are
// removed, never followed.
type Remove struct {
	Paths []string `hcl:"paths"`
}

func init() {
	register("remove", func() Step { return &Remove{} })
}

// Check validates the attributes without touching the system.
func (r *Remove) Check() error {
	var errs []error
	if len(r.Paths) == 0 {
		errs = append(errs, check.Fieldf("paths", "no paths given"))
	}
	for _, p := range r.Paths {
		if err := check.AbsPath("paths", p); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			errs = append(errs, check.Fieldf("paths", "%q is not a valid glob: %v", p, err))
		}
		if strings.Trim(path.Clean(p), "/*") == "" {
			errs = append(errs, check.Fieldf("paths", "%q would remove the whole image", p))
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (r *Remove) Summary() string { return "remove " + strings.Join(r.Paths, ", ") }

// Apply removes everything the globs match.
func (r *Remove) Apply(ctx context.Context, env *Env) error {
	for _, p := range r.Paths {
		matches, err := env.Root.Glob(path.Clean(p))
		if err != nil {
			return err
		}
		for _, m := range matches {
			if path.Clean(m) == "/" {
				continue
			}
			if err := env.Root.RemoveAll(m); err != nil {
				return err
			}
		}
	}
	return nil
}
