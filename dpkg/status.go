// Package dpkg reads what an image's dpkg database says is installed:
// /var/lib/dpkg/status, parsed once here for every reader (image diffs,
// package manifests, SBOMs).
package dpkg

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"pault.ag/go/debian/control"
	"pault.ag/go/debian/version"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// StatusFile is where dpkg keeps its database of packages, in a root.
const StatusFile = "var/lib/dpkg/status"

// Package is one installed binary package.
type Package struct {
	Name         string
	Version      string
	Architecture string
	MultiArch    string // "same", "foreign", "allowed" or ""
	Source       string // the source package's name; Name when the status gives none
	SourceVer    string // the source version, when it differs from Version
	Maintainer   string
}

// statusStanza is the part of a status stanza read here.
type statusStanza struct {
	Package      string
	Version      string
	Architecture string
	MultiArch    string `control:"Multi-Arch"`
	Source       string
	Maintainer   string
	Status       string
}

// ParseStatus returns the installed packages of a dpkg status file (those
// whose Status ends in "installed"), sorted by name and architecture.
func ParseStatus(r io.Reader) ([]Package, error) {
	var stanzas []statusStanza
	if err := control.Unmarshal(&stanzas, r); err != nil {
		return nil, fmt.Errorf("parsing the dpkg status: %w", err)
	}
	var pkgs []Package
	for _, s := range stanzas {
		if !strings.HasSuffix(s.Status, " installed") {
			continue
		}
		p := Package{Name: s.Package, Version: s.Version, Architecture: s.Architecture,
			MultiArch: s.MultiArch, Source: s.Package, Maintainer: s.Maintainer}
		if s.Source != "" {
			name, ver, _ := strings.Cut(s.Source, " (")
			p.Source, p.SourceVer = name, strings.TrimSuffix(ver, ")")
		}
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool {
		if pkgs[i].Name != pkgs[j].Name {
			return pkgs[i].Name < pkgs[j].Name
		}
		return pkgs[i].Architecture < pkgs[j].Architecture
	})
	return pkgs, nil
}

// maxStatus bounds the status file read: a big image's is a few MB.
const maxStatus = 256 << 20

// ReadRoot returns the installed packages of the image root at dir, its
// status file read inside the root (a symlink cannot lead out of it). A
// root without a dpkg database is an error wrapping fs.ErrNotExist.
func ReadRoot(dir string) ([]Package, error) {
	r, err := chroot.Open(dir)
	if err != nil {
		return nil, err
	}
	data, err := r.ReadRegularFile(StatusFile, maxStatus)
	if err != nil {
		return nil, fmt.Errorf("reading the dpkg database of %s: %w", dir, err)
	}
	pkgs, err := ParseStatus(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, StatusFile), err)
	}
	return pkgs, nil
}

// NativeArch is the architecture of the dpkg package itself, dpkg's
// native architecture, or "" when dpkg is not among pkgs.
func NativeArch(pkgs []Package) string {
	for _, p := range pkgs {
		if p.Name == "dpkg" {
			return p.Architecture
		}
	}
	return ""
}

// BinaryName is the name dpkg-query's ${binary:Package} shows, as image
// manifests list it: qualified with the architecture for a Multi-Arch:
// same package or one of a foreign architecture (libc6:amd64), else the
// bare name.
func (p Package) BinaryName(native string) string {
	if p.MultiArch == "same" || p.Architecture != "all" && native != "" && p.Architecture != native {
		return p.Name + ":" + p.Architecture
	}
	return p.Name
}

// CompareVersions compares two Debian versions as dpkg does: negative
// when a is older, 0 when equal, positive when newer. A version that does
// not parse is compared as a string.
func CompareVersions(a, b string) int {
	va, erra := version.Parse(a)
	vb, errb := version.Parse(b)
	if erra != nil || errb != nil {
		return strings.Compare(a, b)
	}
	return version.Compare(va, vb)
}
