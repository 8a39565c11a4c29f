// Package chroot enters an image root through Linux syscalls: commands run
// in a child with its own mount (and PID) namespace, with /proc, /sys,
// /dev, /run and /tmp mounted only for that child, so no mount outlives the
// build whatever ends it. Host-side file operations resolve every path
// inside the root, so a symlink planted in the root never leads outside.
//
// CONTRACT (written before the implementation; the chroot implementer
// replaces the bodies, keeps the signatures, and may add to them):
package chroot

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
)

var errTODO = errors.New("chroot: not implemented yet")

// Root is an image root folder on the host.
type Root struct {
	dir string
}

// Cmd is a command to run inside the root: an argv list, never a shell
// string.
type Cmd struct {
	Args   []string  // Args[0] is looked up in the root's PATH
	Env    []string  // extra KEY=VALUE pairs over the controlled environment
	Dir    string    // working directory inside the root, default "/"
	Stdin  io.Reader // nil means /dev/null
	Stdout io.Writer // nil means discard
	Stderr io.Writer // nil means discard
}

// Open returns the root at dir, which must exist.
func Open(dir string) (*Root, error) { return &Root{dir: dir}, nil }

// Dir returns the root's folder on the host.
func (r *Root) Dir() string { return r.dir }

// Prepare puts the build-time files into the root (a temporary
// resolv.conf, policy-rc.d) and returns the undo that removes them.
func (r *Root) Prepare() (undo func() error, err error) { return nil, errTODO }

// Run runs cmd inside the root and waits for it.
func (r *Root) Run(ctx context.Context, cmd Cmd) error { return errTODO }

// Output runs args inside the root and returns its standard output.
func (r *Root) Output(ctx context.Context, args ...string) ([]byte, error) { return nil, errTODO }

// The file operations below take absolute paths inside the root and
// resolve them inside it (symlinks included, as if the root were /).

// ReadFile reads a file.
func (r *Root) ReadFile(name string) ([]byte, error) { return nil, errTODO }

// WriteFile writes data to name atomically (temporary file and rename in
// the same folder), creating or replacing it with perm.
func (r *Root) WriteFile(name string, data []byte, perm fs.FileMode) error { return errTODO }

// OpenFile opens name like os.OpenFile.
func (r *Root) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return nil, errTODO
}

// MkdirAll creates a folder and its parents.
func (r *Root) MkdirAll(name string, perm fs.FileMode) error { return errTODO }

// Chmod changes the mode of name (not following a final symlink).
func (r *Root) Chmod(name string, mode fs.FileMode) error { return errTODO }

// Lchown changes the owner of name (not following a final symlink).
func (r *Root) Lchown(name string, uid, gid int) error { return errTODO }

// Symlink creates name as a symlink to target (target is stored as is).
func (r *Root) Symlink(target, name string) error { return errTODO }

// Readlink returns the target of the symlink name.
func (r *Root) Readlink(name string) (string, error) { return "", errTODO }

// Lstat describes name without following a final symlink.
func (r *Root) Lstat(name string) (fs.FileInfo, error) { return nil, errTODO }

// Stat describes name, following symlinks inside the root.
func (r *Root) Stat(name string) (fs.FileInfo, error) { return nil, errTODO }

// ReadDir lists a folder.
func (r *Root) ReadDir(name string) ([]fs.DirEntry, error) { return nil, errTODO }

// Remove removes a file, symlink or empty folder.
func (r *Root) Remove(name string) error { return errTODO }

// RemoveAll removes name and everything below it; missing is not an error.
func (r *Root) RemoveAll(name string) error { return errTODO }

// Rename renames oldname to newname, both inside the root.
func (r *Root) Rename(oldname, newname string) error { return errTODO }

// Glob returns the paths inside the root matching pattern (path.Match
// syntax per component), sorted.
func (r *Root) Glob(pattern string) ([]string, error) { return nil, errTODO }
