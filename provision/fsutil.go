package provision

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// permMode turns an octal mode as written in HCL (0o4755) into an
// fs.FileMode, where setuid, setgid and sticky are separate flags.
func permMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// putFile writes data to name inside the root (creating missing parent
// folders 0755), then sets its mode exactly, whatever the umask or an
// earlier file there had.
func putFile(r *chroot.Root, name string, data []byte, mode fs.FileMode) error {
	if err := r.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	if err := r.WriteFile(name, data, mode); err != nil {
		return err
	}
	if err := r.Chmod(name, mode); err != nil {
		return err
	}
	return nil
}

// readRootFile reads name inside the root; a missing file reads as empty.
func readRootFile(r *chroot.Root, name string) ([]byte, error) {
	data, err := r.ReadFile(name)
	if err != nil && !isNotExist(err) {
		return nil, err
	}
	return data, nil
}

func isNotExist(err error) bool { return err != nil && errors.Is(err, fs.ErrNotExist) }

// readInput reads rel from the definition folder dir; os.OpenInRoot
// refuses a path or symlink that leads outside dir.
func readInput(dir, rel string) ([]byte, error) {
	f, err := os.OpenInRoot(dir, rel)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	return data, nil
}

// setOwnerMode gives name its owner, then its mode: in that order because
// chown clears the setuid and setgid bits of a file.
func setOwnerMode(r *chroot.Root, name string, uid, gid int, mode fs.FileMode) error {
	if err := r.Lchown(name, uid, gid); err != nil {
		return err
	}
	if err := r.Chmod(name, mode); err != nil {
		return err
	}
	return nil
}
