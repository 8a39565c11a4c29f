package chroot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// errHostRoot refuses the host's own / as an image root: Prepare would put
// its marker, policy-rc.d and a resolv.conf into the running system.
var errHostRoot = errors.New("that is the host's own /, not an image root")

// isHostRoot reports whether dir is the host's / (the same file system
// and inode, so a bind mount of / counts too).
func isHostRoot(dir string) (bool, error) {
	var st, root unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return false, err
	}
	if err := unix.Stat("/", &root); err != nil {
		return false, err
	}
	return st.Dev == root.Dev && st.Ino == root.Ino, nil
}

// CheckClean refuses a root that still holds what Prepare puts in for a
// build (policy-rc.d, the host's resolv.conf, the marker): a root being
// used by a chrootbuild run, shell or build right now, or one that was
// killed before undoing. Packing or releasing it would ship those files.
// The error names the command that puts the root back.
func (r *Root) CheckClean() error {
	if _, err := r.Lstat(markerPath); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	unlock, err := r.lock()
	if err != nil {
		return fmt.Errorf("%s is in use by a chrootbuild run, shell or build (it holds policy-rc.d and the host's resolv.conf until that ends)", r.dir)
	}
	unlock()
	return fmt.Errorf("%s still holds the build-time files (policy-rc.d, the host's resolv.conf) of a chrootbuild run, shell or build that was killed, as %s records; `chrootbuild run %s -- true` puts the root back",
		r.dir, markerPath, r.dir)
}

// CheckCleanDir is CheckClean for a folder; a path that is not a folder
// (a tar) is clean.
func CheckCleanDir(dir string) error {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil
	}
	r, err := Open(dir)
	if err != nil {
		return err
	}
	return r.CheckClean()
}

// The files Prepare puts in, and where it keeps the root's own.
const (
	policyRCPath = "/usr/sbin/policy-rc.d"
	resolvPath   = "/etc/resolv.conf"
	backupSuffix = ".chrootbuild-orig"
)

// checkMarker refuses a marker naming other files than Prepare's own: the
// marker lies in the root, and whatever wrote it must not make the undo
// rename or remove other files of the root.
func checkMarker(files []tempFile) error {
	for _, f := range files {
		if f.Path != policyRCPath && f.Path != resolvPath || f.Backup != f.Path+backupSuffix {
			return fmt.Errorf("it names %q (kept at %q), which chrootbuild never puts in; remove the marker by hand once the root is checked", f.Path, f.Backup)
		}
	}
	return nil
}
