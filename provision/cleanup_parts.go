package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// removeGlobs returns a clean-up part removing every path matching the
// patterns (folders with their content).
func removeGlobs(patterns ...string) func(*chroot.Root) error {
	return func(r *chroot.Root) error {
		for _, p := range patterns {
			matches, err := r.Glob(p)
			if err != nil {
				return fmt.Errorf("listing %s: %w", p, err)
			}
			for _, m := range matches {
				if err := r.RemoveAll(m); err != nil {
					return fmt.Errorf("removing %s: %w", m, err)
				}
			}
		}
		return nil
	}
}

// cleanAptCache does what `apt-get clean` does plus the package lists,
// which the first `apt-get update` on the server fetches again.
func cleanAptCache(r *chroot.Root) error {
	return removeGlobs(
		"/var/cache/apt/*.bin", "/var/cache/apt/archives/*.deb", "/var/cache/apt/archives/partial/*",
		"/var/lib/apt/lists/*_*", "/var/lib/apt/lists/partial/*", "/var/lib/apt/lists/auxfiles/*",
	)(r)
}

// rotatedLog matches logrotate's leftovers: name.1, name.2.gz, name.old,
// name-20240101, compressed copies.
var rotatedLog = regexp.MustCompile(`(\.[0-9]+|\.old|-[0-9]{8})(\.(gz|xz|bz2|zst))?$|\.(gz|xz|bz2|zst)$`)

// cleanLogs truncates the files under /var/log, keeping them with their
// owner and mode (daemons expect them), and removes rotated copies,
// bootstrap.log and systemd's journal files.
func cleanLogs(r *chroot.Root) error {
	if err := removeGlobs("/var/log/bootstrap.log", "/var/log/journal/*/*.journal*")(r); err != nil {
		return err
	}
	return walkFiles(r, "/var/log", func(p string) error {
		if rotatedLog.MatchString(path.Base(p)) {
			if err := r.Remove(p); err != nil {
				return fmt.Errorf("removing %s: %w", p, err)
			}
			return nil
		}
		f, err := r.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return fmt.Errorf("truncating %s: %w", p, err)
		}
		return f.Close()
	})
}

// walkFiles calls fn for every regular file below dir (symlinks are not
// followed); a missing dir is no error.
func walkFiles(r *chroot.Root, dir string, fn func(string) error) error {
	entries, err := r.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	for _, e := range entries {
		p := path.Join(dir, e.Name())
		switch {
		case e.IsDir():
			err = walkFiles(r, p, fn)
		case e.Type().IsRegular():
			err = fn(p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// cleanMachineID leaves /etc/machine-id empty, which tells systemd this is
// the first boot so it makes a new id, and removes dbus's copy unless it
// is the usual link to /etc/machine-id. systemd's random seed and
// credential secret go too: every server booted from the image would
// share them.
func cleanMachineID(r *chroot.Root) error {
	if err := removeGlobs("/var/lib/systemd/random-seed", "/var/lib/systemd/credential.secret")(r); err != nil {
		return err
	}
	if fi, err := r.Lstat("/etc/machine-id"); err == nil && fi.Mode().IsRegular() {
		if err := r.WriteFile("/etc/machine-id", nil, 0o444); err != nil {
			return fmt.Errorf("emptying /etc/machine-id: %w", err)
		}
		if err := r.Chmod("/etc/machine-id", 0o444); err != nil {
			return fmt.Errorf("setting mode of /etc/machine-id: %w", err)
		}
	}
	const dbus = "/var/lib/dbus/machine-id"
	if fi, err := r.Lstat(dbus); err == nil && fi.Mode()&fs.ModeSymlink == 0 {
		if err := r.Remove(dbus); err != nil {
			return fmt.Errorf("removing %s: %w", dbus, err)
		}
	}
	return nil
}

// cleanResolvConf removes /etc/resolv.conf when it is a file: a copy of
// some host's (debootstrap copies the build host's in). A symlink, as
// systemd-resolved or resolvconf make, is the image's own and stays.
// During a build chroot.Prepare keeps the root's original aside under the
// name below and puts it back at the end, so that copy goes too.
func cleanResolvConf(r *chroot.Root) error {
	for _, p := range []string{"/etc/resolv.conf", "/etc/resolv.conf.chrootbuild-orig"} {
		fi, err := r.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink != 0 {
			continue
		}
		if err := r.Remove(p); err != nil {
			return fmt.Errorf("removing %s: %w", p, err)
		}
	}
	return nil
}
