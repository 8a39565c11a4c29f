package chroot

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

// A folder tree is copied between the host and a root by cp -a (which
// keeps owners, modes, links and extended attributes and reflinks where it
// can), handed the root's side as a descriptor resolved inside the root:
// cp sees it as /proc/self/fd/3, so no symlink planted in the root on the
// way to it is followed on the host.

// CopyDirIn copies the content of the host folder src into name, a new
// folder inside the root (its parents are created; an existing name is an
// error, so nothing planted there is written through).
func (r *Root) CopyDirIn(ctx context.Context, src, name string) error {
	name = clean(name)
	if err := r.MkdirAll(parentOf(name), 0o755); err != nil {
		return err
	}
	err := r.atParent("creating folder", name, func(dirfd int, base string) error {
		return unix.Mkdirat(dirfd, base, 0o755)
	})
	if err != nil {
		return err
	}
	dst, err := r.OpenFile(name, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return err
	}
	defer dst.Close()
	return copyTree(ctx, dst, src+"/.", "/proc/self/fd/3/", src+" to "+name+" in "+r.dir)
}

// CopyDirOut copies the content of name, a folder inside the root, into
// the host folder dst (created when missing).
func (r *Root) CopyDirOut(ctx context.Context, name, dst string) error {
	src, err := r.OpenFile(name, unix.O_PATH|unix.O_DIRECTORY, 0)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return copyTree(ctx, src, "/proc/self/fd/3/.", dst+"/", name+" of "+r.dir+" to "+dst)
}

// copyTree runs cp -a from to, with fd as the command's descriptor 3;
// what names the copy in an error.
func copyTree(ctx context.Context, fd *os.File, from, to, what string) error {
	cmd := exec.CommandContext(ctx, "cp", "-a", "--reflink=auto", from, to)
	cmd.ExtraFiles = []*os.File{fd}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("copying %s: %v: %s", what, err, tail(out, 1024))
	}
	return nil
}

// parentOf is the folder holding a clean path.
func parentOf(name string) string {
	dir, _ := split(name)
	return dir
}
