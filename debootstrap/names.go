package debootstrap

import (
	"fmt"
	"path"
	"strings"
)

// Names from the archive end up in paths (the .deb links and copies in
// the root) and URLs (the pool file), so they are checked before use: a
// signed archive is trusted for what it installs, not for where chrootbuild
// writes on the host.

// validPackageName reports whether name follows Debian policy 5.6.1:
// lower-case letters, digits, '+', '-' and '.', at least two characters,
// starting with a letter or digit.
func validPackageName(name string) bool {
	if len(name) < 2 {
		return false
	}
	for i, c := range []byte(name) {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case i > 0 && (c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// checkFilename refuses a Filename: that is not a clean relative path
// under the archive's pool/ made of the characters Debian file names use:
// no "..", no absolute path, nothing a URL would decode ('%', '?', '#').
func checkFilename(name string) error {
	switch {
	case strings.IndexFunc(name, func(r rune) bool { return !filenameChar(r) }) >= 0:
		return fmt.Errorf("Filename %q has characters no pool file name has", name)
	case path.IsAbs(name) || path.Clean(name) != name || strings.Contains("/"+name+"/", "/../"):
		return fmt.Errorf("Filename %q is not a clean relative path", name)
	case !strings.HasPrefix(name, "pool/") || len(name) == len("pool/"):
		return fmt.Errorf("Filename %q is not under the archive's pool/", name)
	}
	return nil
}

func filenameChar(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("+-._~/", r)
}

// checkPackage checks the names of one Packages stanza.
func checkPackage(p *Package) error {
	if !validPackageName(p.Name) {
		return fmt.Errorf("package name %q is not valid under Debian policy (lower-case letters, digits, '+', '-', '.'; at least two characters, starting with a letter or digit)", p.Name)
	}
	if err := checkFilename(p.Filename); err != nil {
		return fmt.Errorf("package %s: %w", p.Name, err)
	}
	return nil
}

// checkPackages checks every stanza of an index, naming the first bad one.
func checkPackages(pkgs []Package) error {
	for i := range pkgs {
		if err := checkPackage(&pkgs[i]); err != nil {
			return fmt.Errorf("stanza %d: %w", i+1, err)
		}
	}
	return nil
}
