package provision

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/chrootbuild/chrootbuild/check"
)

// Copy copies a file or a folder from beside the definition into the image:
//
//	provision "copy" {
//	  source      = "overlay"       # relative to the definition's folder
//	  destination = "/"
//	  owner       = "root"
//	}
//
// Modes are kept. A file source is written at destination, or inside it
// when destination is an existing folder. A folder source is copied
// recursively and merged into destination (created when missing);
// symlinks are copied as symlinks. Everything copied gets owner and group
// (root:root by default), looked up in the image. The source is read
// through os.Root, so neither .. nor a symlink leads outside the
// definition's folder.
type Copy struct {
	Source      string `hcl:"source"`
	Destination string `hcl:"destination"`
	Owner       string `hcl:"owner,optional"`
	Group       string `hcl:"group,optional"`
}

func init() {
	register("copy", func() Step { return &Copy{} })
}

// Check validates the attributes without touching the system.
func (c *Copy) Check() error {
	return errors.Join(check.RelPath("source", c.Source), check.AbsPath("destination", c.Destination),
		checkOwner("owner", c.Owner), checkOwner("group", c.Group))
}

// InputFiles returns the source (a file or a folder).
func (c *Copy) InputFiles() []string { return []string{c.Source} }

// Summary is a one-line description.
func (c *Copy) Summary() string {
	return fmt.Sprintf("copy %s to %s%s", c.Source, c.Destination, ownerSummary(c.Owner, c.Group))
}

// Apply copies the source into the root.
func (c *Copy) Apply(ctx context.Context, env *Env) error {
	src, err := os.OpenRoot(env.Dir)
	if err != nil {
		return fmt.Errorf("opening definition folder %s: %w", env.Dir, err)
	}
	defer src.Close()
	fi, err := src.Stat(c.Source)
	if err != nil {
		return fmt.Errorf("reading source: %w", err)
	}
	uid, gid, err := ownerIDs(env.Root, c.Owner, c.Group)
	if err != nil {
		return err
	}
	cp := copier{env: env, src: src, uid: uid, gid: gid}
	if !fi.IsDir() {
		dst := c.Destination
		if existsDir(env, dst) {
			dst = path.Join(dst, path.Base(c.Source))
		}
		return cp.file(c.Source, dst, fi.Mode())
	}
	return fs.WalkDir(src.FS(), path.Clean(c.Source), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := relUnder(path.Clean(c.Source), p)
		if rel == "." && existsDir(env, c.Destination) {
			return nil // merging into a folder keeps its own mode and owner
		}
		return cp.entry(p, path.Join(c.Destination, rel), d)
	})
}

func existsDir(env *Env, name string) bool {
	fi, err := env.Root.Stat(name)
	return err == nil && fi.IsDir()
}

// relUnder returns p relative to base ("." for base itself).
func relUnder(base, p string) (string, bool) {
	if p == base {
		return ".", true
	}
	if base == "." {
		return p, true
	}
	if len(p) > len(base) && p[:len(base)] == base && p[len(base)] == '/' {
		return p[len(base)+1:], true
	}
	return "", false
}
