package provision

import (
	"fmt"
	"io/fs"
	"os"
)

// permBits are the mode bits a copy keeps.
const permBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// copier writes files read from the definition folder into the root,
// through the root's safe operations only.
type copier struct {
	env      *Env
	src      *os.Root
	uid, gid int
}

func (c *copier) entry(src, dst string, d fs.DirEntry) error {
	info, err := d.Info()
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	switch {
	case d.IsDir():
		return c.dir(dst, info.Mode())
	case d.Type()&fs.ModeSymlink != 0:
		return c.symlink(src, dst)
	case d.Type().IsRegular():
		return c.file(src, dst, info.Mode())
	}
	return fmt.Errorf("copying %s: %s is not a file, folder or symlink", src, d.Type())
}

func (c *copier) dir(dst string, mode fs.FileMode) error {
	r := c.env.Root
	if err := r.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return setOwnerMode(r, dst, c.uid, c.gid, mode&permBits)
}

func (c *copier) file(src, dst string, mode fs.FileMode) error {
	data, err := c.src.ReadFile(src)
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	if err := putFile(c.env.Root, dst, data, mode&permBits); err != nil {
		return err
	}
	return setOwnerMode(c.env.Root, dst, c.uid, c.gid, mode&permBits)
}

func (c *copier) symlink(src, dst string) error {
	target, err := c.src.Readlink(src)
	if err != nil {
		return fmt.Errorf("reading link %s: %w", src, err)
	}
	if err := setSymlink(c.env.Root, target, dst); err != nil {
		return err
	}
	return c.env.Root.Lchown(dst, c.uid, c.gid)
}
