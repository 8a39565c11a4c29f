package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// makeHome creates the account's home from /etc/skel, owned by the
// account, mode 0700 (Debian's adduser DIR_MODE). An existing home is
// left alone; /nonexistent is never created.
func (a *account) makeHome(r *chroot.Root) error {
	if a.home == "/nonexistent" || a.home == "/" {
		return nil
	}
	if _, err := r.Lstat(a.home); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("looking at home %s: %w", a.home, err)
	}
	if err := r.MkdirAll(path.Dir(a.home), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", path.Dir(a.home), err)
	}
	if err := a.mkdir(r, a.home, 0o700); err != nil {
		return err
	}
	if _, err := r.Lstat("/etc/skel"); err != nil {
		return nil
	}
	return a.copyTree(r, "/etc/skel", a.home)
}

// mkdir creates dir with exactly mode, owned by the account.
func (a *account) mkdir(r *chroot.Root, dir string, mode fs.FileMode) error {
	if err := r.MkdirAll(dir, mode); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := r.Chmod(dir, mode); err != nil {
		return fmt.Errorf("setting mode of %s: %w", dir, err)
	}
	if err := r.Lchown(dir, a.uid, a.gid); err != nil {
		return fmt.Errorf("changing owner of %s: %w", dir, err)
	}
	return nil
}

// copyTree copies the folder src into the existing folder dst, keeping
// modes and symlinks, every copy owned by the account.
func (a *account) copyTree(r *chroot.Root, src, dst string) error {
	entries, err := r.ReadDir(src)
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	for _, e := range entries {
		from, to := path.Join(src, e.Name()), path.Join(dst, e.Name())
		if err := a.copyEntry(r, e, from, to); err != nil {
			return err
		}
	}
	return nil
}

func (a *account) copyEntry(r *chroot.Root, e fs.DirEntry, from, to string) error {
	info, err := e.Info()
	if err != nil {
		return fmt.Errorf("reading %s: %w", from, err)
	}
	switch {
	case info.IsDir():
		if err := a.mkdir(r, to, info.Mode().Perm()); err != nil {
			return err
		}
		return a.copyTree(r, from, to)
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := r.Readlink(from)
		if err != nil {
			return fmt.Errorf("reading link %s: %w", from, err)
		}
		if err := r.Symlink(target, to); err != nil {
			return fmt.Errorf("creating link %s: %w", to, err)
		}
	case info.Mode().IsRegular():
		data, err := r.ReadFile(from)
		if err != nil {
			return fmt.Errorf("reading %s: %w", from, err)
		}
		if err := r.WriteFile(to, data, info.Mode().Perm()); err != nil {
			return fmt.Errorf("writing %s: %w", to, err)
		}
		if err := r.Chmod(to, info.Mode().Perm()); err != nil {
			return fmt.Errorf("setting mode of %s: %w", to, err)
		}
	default:
		return nil // no devices or fifos in a skeleton
	}
	if err := r.Lchown(to, a.uid, a.gid); err != nil {
		return fmt.Errorf("changing owner of %s: %w", to, err)
	}
	return nil
}

// addKeys appends the keys missing from ~/.ssh/authorized_keys, keeping
// the lines already there; the folder is 0700 and the file 0600, both
// owned by the account, as sshd's StrictModes wants.
func (a *account) addKeys(r *chroot.Root, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if a.home == "/nonexistent" || a.home == "/" {
		return fmt.Errorf("adding keys of user %s: the account has no home (%s); set home", a.name, a.home)
	}
	dir := path.Join(a.home, ".ssh")
	if err := a.mkdir(r, dir, 0o700); err != nil {
		return err
	}
	file := path.Join(dir, "authorized_keys")
	old, err := r.ReadFile(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", file, err)
	}
	data := mergeKeys(string(old), keys)
	if err := r.WriteFile(file, []byte(data), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := r.Chmod(file, 0o600); err != nil {
		return fmt.Errorf("setting mode of %s: %w", file, err)
	}
	if err := r.Lchown(file, a.uid, a.gid); err != nil {
		return fmt.Errorf("changing owner of %s: %w", file, err)
	}
	return nil
}

// mergeKeys returns old with each key not already present appended, one
// a line.
func mergeKeys(old string, keys []string) string {
	have := map[string]bool{}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(old, "\n"), "\n") {
		if l != "" {
			have[strings.TrimSpace(l)] = true
			out = append(out, l)
		}
	}
	for _, k := range keys {
		if k = strings.TrimSpace(k); !have[k] {
			have[k] = true
			out = append(out, k)
		}
	}
	return strings.Join(out, "\n") + "\n"
}
