package provision

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// This file answers, from the image root itself, where the root's own
// tools read their configuration, so that a step works on every suite
// (bookworm, trixie, jammy, noble, ...) without being told which it is.

// resolveLink follows name while it is a symlink, inside the root, and
// returns the path it ends at (name itself when it is not a link). The
// end need not exist.
func resolveLink(r *chroot.Root, name string) (string, error) {
	for range 40 {
		fi, err := r.Lstat(name)
		if errors.Is(err, fs.ErrNotExist) || err == nil && fi.Mode()&fs.ModeSymlink == 0 {
			return name, nil
		}
		if err != nil {
			return "", err
		}
		target, err := r.Readlink(name)
		if err != nil {
			return "", err
		}
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(name), target)
		}
		name = path.Clean(target)
	}
	return "", fmt.Errorf("resolving %s: too many levels of symbolic links", name)
}

// libsystemdRE finds the version in libsystemd-shared-NNN.so, the
// library every systemd program of the root is linked with.
var libsystemdRE = regexp.MustCompile(`libsystemd-shared-([0-9]+)(\.[0-9a-z.~+-]*)?\.so$`)

// systemdLibGlobs are where distributions install libsystemd-shared.
var systemdLibGlobs = []string{
	"/usr/lib/*/systemd/libsystemd-shared-*.so", "/usr/lib/systemd/libsystemd-shared-*.so",
	"/lib/systemd/libsystemd-shared-*.so",
}

// systemdLib returns the path and major version of the root's systemd
// shared library; "" and 0 when the root has no systemd.
func systemdLib(r *chroot.Root) (string, int) {
	for _, g := range systemdLibGlobs {
		matches, _ := r.Glob(g)
		for _, m := range matches {
			if v := libsystemdRE.FindStringSubmatch(m); v != nil {
				n, _ := strconv.Atoi(v[1])
				return m, n
			}
		}
	}
	return "", 0
}

// systemdMentions reports whether the root's systemd library holds the
// string s, such as a configuration path it reads (Debian's systemd up to
// bookworm reads /etc/default/locale too; trixie's only /etc/locale.conf).
func systemdMentions(r *chroot.Root, s string) bool {
	lib, _ := systemdLib(r)
	if lib == "" {
		return false
	}
	data, err := r.ReadFile(lib)
	return err == nil && bytes.Contains(data, []byte(s+"\x00"))
}
