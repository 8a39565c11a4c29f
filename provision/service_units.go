package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// unitDirs are where systemd looks for system units, first wins, for a
// systemd built with split /usr (Debian up to bookworm, Ubuntu up to
// jammy): /lib comes before /usr/lib, so links point where that
// systemctl points them. systemd 255 dropped split /usr: trixie's and
// noble's look in /usr/lib only (usrUnitDirs; those suites require
// a merged /usr). On a merged /usr both
// spellings lead to the same file.
var (
	unitDirs = []string{
		"/etc/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
	}
	usrUnitDirs = []string{"/etc/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system"}
)

// noSplitUsr is the first systemd version without split /usr support.
const noSplitUsr = 255

// unitDirsOf returns the unit folders in the order of the root's systemd.
func unitDirsOf(r *chroot.Root) []string {
	if _, v := systemdLib(r); v >= noSplitUsr {
		return usrUnitDirs
	}
	return unitDirs
}

const etcUnits = "/etc/systemd/system"

// errMasked is returned for a unit linked to /dev/null.
var errMasked = errors.New("is masked")

// foundUnit is a unit file located in the root.
type foundUnit struct {
	name unitName // the unit asked for, after resolving aliases
	path string   // the file holding it: the unit, or its template
	data string
}

// findUnit locates name in the root: its own file, or the template's for
// an instance, following a symlink in /etc/systemd/system to the file it
// names (an alias then resolves to its real unit).
func findUnit(r *chroot.Root, name string, depth int) (*foundUnit, error) {
	if depth > 8 {
		return nil, fmt.Errorf("unit %s: too many levels of aliases", name)
	}
	un := parseUnitName(name)
	candidates := []string{name}
	if un.isInstance() {
		candidates = append(candidates, un.template())
	}
	dirs := unitDirsOf(r)
	for _, c := range candidates {
		for _, dir := range dirs {
			p := path.Join(dir, c)
			fi, err := r.Lstat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("looking up unit %s: %w", name, err)
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				return followUnitLink(r, un, c, p, depth)
			}
			data, err := r.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("reading unit %s: %w", p, err)
			}
			return &foundUnit{un, p, string(data)}, nil
		}
	}
	return nil, fmt.Errorf("unit %s: no such unit file in %s", name, strings.Join(dirs, ", "))
}

// followUnitLink handles a unit file that is a symlink: to /dev/null
// (masked), to a file of the same name (a linked unit), or to another
// name (an alias).
func followUnitLink(r *chroot.Root, un unitName, file, p string, depth int) (*foundUnit, error) {
	target, err := r.Readlink(p)
	if err != nil {
		return nil, fmt.Errorf("reading link %s: %w", p, err)
	}
	if target == "/dev/null" {
		return nil, fmt.Errorf("unit %s %w (%s links to /dev/null)", un, errMasked, p)
	}
	if !path.IsAbs(target) {
		target = path.Join(path.Dir(p), target)
	}
	if base := path.Base(target); base != file {
		alias := parseUnitName(base)
		if alias.isTemplate() && un.isInstance() {
			alias.instance = un.instance
		}
		return findUnit(r, alias.String(), depth+1)
	}
	data, err := r.ReadFile(target)
	if err != nil {
		return nil, fmt.Errorf("reading unit %s (linked from %s): %w", target, p, err)
	}
	return &foundUnit{un, target, string(data)}, nil
}

// instanceToEnable returns the unit to enable for a found unit: itself,
// or for a bare template the instance DefaultInstance names.
func (f *foundUnit) instanceToEnable(in unitInstall) (unitName, error) {
	if !f.name.isTemplate() {
		return f.name, nil
	}
	if in.defaultInstance == "" {
		return unitName{}, fmt.Errorf("enabling %s: a template needs an instance (like %s) or DefaultInstance=", f.name, f.name.prefix+"@NAME"+f.name.suffix)
	}
	n := f.name
	n.instance = in.defaultInstance
	return n, nil
}

// replaceLink makes p a symlink to target, creating its folder and
// replacing an earlier symlink; a regular file there is an error.
func replaceLink(r *chroot.Root, p, target string) error {
	if fi, err := r.Lstat(p); err == nil {
		if fi.Mode()&fs.ModeSymlink == 0 {
			return fmt.Errorf("linking %s: a file that is not a symlink is in the way", p)
		}
		if err := r.Remove(p); err != nil {
			return fmt.Errorf("replacing link %s: %w", p, err)
		}
	}
	if err := r.MkdirAll(path.Dir(p), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", path.Dir(p), err)
	}
	if err := r.Symlink(target, p); err != nil {
		return fmt.Errorf("linking %s to %s: %w", p, target, err)
	}
	return nil
}

// removeLinks removes the symlinks among the paths matching pattern.
func removeLinks(r *chroot.Root, pattern string) error {
	matches, err := r.Glob(pattern)
	if err != nil {
		return fmt.Errorf("listing %s: %w", pattern, err)
	}
	for _, m := range matches {
		if fi, err := r.Lstat(m); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if err := r.Remove(m); err != nil {
				return fmt.Errorf("removing link %s: %w", m, err)
			}
		}
	}
	return nil
}
