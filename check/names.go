package check

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"
)

// AbsPath checks that p is an absolute, clean path inside the image.
func AbsPath(attr, p string) error {
	switch {
	case p == "":
		return Fieldf(attr, "path is empty")
	case !strings.HasPrefix(p, "/"):
		return Fieldf(attr, "path %q must be absolute (start with /)", p)
	case hasDotDot(p):
		return Fieldf(attr, "path %q must not contain ..", p)
	}
	return nil
}

// RelPath checks that p is a relative path that stays below its base.
func RelPath(attr, p string) error {
	switch {
	case p == "":
		return Fieldf(attr, "path is empty")
	case strings.HasPrefix(p, "/"):
		return Fieldf(attr, "path %q must be relative", p)
	case hasDotDot(path.Clean(p)):
		return Fieldf(attr, "path %q must not leave its folder with ..", p)
	}
	return nil
}

func hasDotDot(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// Mode parses an octal file mode such as "0644" or "755".
func Mode(attr, s string) (uint32, error) {
	if s == "" {
		return 0, Fieldf(attr, "mode is empty")
	}
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil || v > 0o7777 {
		return 0, Fieldf(attr, "mode %q is not an octal mode between 0000 and 7777", s)
	}
	return uint32(v), nil
}

var nameRE = regexp.MustCompile(`^[a-z_][a-z0-9_-]*\$?$`)

// UserName checks a user or group name the way Debian's adduser does by
// default (lowercase, starting with a letter or _, at most 32 chars).
func UserName(attr, s string) error {
	if len(s) == 0 || len(s) > 32 || !nameRE.MatchString(s) {
		return Fieldf(attr, "%q is not a valid user or group name (lowercase letters, digits, _ and -, starting with a letter or _)", s)
	}
	return nil
}

// unitTypes are systemd's unit types, the suffixes of unit names.
var unitTypes = []string{"service", "socket", "target", "timer", "path", "mount", "automount", "swap", "slice", "scope", "device"}

var unitRE = regexp.MustCompile(`^[A-Za-z0-9:_.@\\-]+\.(` + strings.Join(unitTypes, "|") + `)$`)

// UnitName checks a systemd unit name; "/" and ".." are always refused.
func UnitName(attr, s string) error {
	if strings.Contains(s, "/") || strings.Contains(s, "..") || !unitRE.MatchString(s) {
		return Fieldf(attr, "%q is not a valid systemd unit name (like ssh.service; no / or ..)", s)
	}
	return nil
}

// WithUnitSuffix completes a unit name as systemctl does: a name that
// does not end in a unit type means a service, "ssh" is "ssh.service"
// and "getty@tty1" is "getty@tty1.service". Other names are returned as
// they are.
func WithUnitSuffix(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 && slices.Contains(unitTypes, s[i+1:]) {
		return s
	}
	if s == "" || strings.Contains(s, "/") {
		return s // refused by UnitName as it is
	}
	return s + ".service"
}

// OneOf checks that s is one of the allowed values.
func OneOf(attr, s string, allowed ...string) error {
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return Fieldf(attr, "%q is not one of %s", s, strings.Join(allowed, ", "))
}

// Arch checks a Debian architecture name against the architectures
// chrootbuild builds (the supported ones of the table in package arch).
func Arch(attr, s string) error { return OneOf(attr, s, arch.Names(true)...) }
