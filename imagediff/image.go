// Package imagediff compares two images: two roots or tars (their
// installed packages and every file's type, content, mode, owner, link
// target, device numbers and extended attributes), or two package
// manifests (their packages). Content is compared in full, never guessed
// from sizes or times, and read in parallel.
package imagediff

import (
	"fmt"
	"sort"

	"github.com/chrootbuild/chrootbuild/dpkg"
)

// Kind is what a path given to Open holds.
type Kind string

// The kinds of input.
const (
	KindRoot     Kind = "root folder"
	KindTar      Kind = "tar"
	KindManifest Kind = "package manifest"
)

// hasFiles reports whether an input of kind k lists files.
func (k Kind) hasFiles() bool { return k == KindRoot || k == KindTar }

// Image is one side of a comparison.
type Image struct {
	Path     string
	Kind     Kind
	Packages map[string]string // binary package name (libc6:amd64) to version
	Files    map[string]*File  // by absolute path in the image ("/" for the root)
}

// File is one entry of a root or tar.
type File struct {
	Type   string // "file", "dir", "symlink", "char", "block", "fifo", "socket"
	Mode   uint32 // permission and set-id bits
	UID    int
	GID    int
	Size   int64
	Link   string // symlink target
	Dev    string // "MAJOR,MINOR" of a device
	Xattrs string // name=hex value pairs, sorted, joined by spaces

	host string   // a root's file on the host, read when its content is compared
	sum  [32]byte // a tar's file content SHA-256, computed as it streamed
	hard string   // a tar hard link's target, resolved after the scan
}

// pkgEntry is one installed package as an input lists it.
type pkgEntry struct{ name, arch, version string }

// packageIndex maps package names to versions. Every kind of input is
// keyed alike, whatever it writes (libc6, libc6:amd64): by name, and by
// name:arch only for a name installed for several architectures.
func packageIndex(pkgs []pkgEntry) map[string]string {
	count := map[string]int{}
	for _, p := range pkgs {
		count[p.name]++
	}
	m := make(map[string]string, len(pkgs))
	for _, p := range pkgs {
		key := p.name
		if count[p.name] > 1 {
			key += ":" + p.arch
		}
		m[key] = p.version
	}
	return m
}

// dpkgEntries turns a dpkg database's packages into entries.
func dpkgEntries(pkgs []dpkg.Package) []pkgEntry {
	out := make([]pkgEntry, len(pkgs))
	for i, p := range pkgs {
		out[i] = pkgEntry{p.Name, p.Architecture, p.Version}
	}
	return out
}

// checkComparable refuses two inputs that cannot be compared, saying what
// was expected.
func checkComparable(old, new *Image) error {
	if old.Kind.hasFiles() == new.Kind.hasFiles() {
		return nil
	}
	return fmt.Errorf("%s is a %s and %s a %s: give two images (root folders or tars) or two package manifests",
		old.Path, old.Kind, new.Path, new.Kind)
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
