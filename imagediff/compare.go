package imagediff

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/chrootbuild/chrootbuild/dpkg"
)

// Result is what differs between two inputs.
type Result struct {
	Old      string          `json:"old"`
	New      string          `json:"new"`
	Packages *PackageChanges `json:"packages,omitempty"` // nil when either side has no package list
	Files    *FileChanges    `json:"files,omitempty"`    // nil for manifests
}

// PackageChanges are the packages added, removed, upgraded and
// downgraded, each sorted by name.
type PackageChanges struct {
	Added      []Package       `json:"added"`
	Removed    []Package       `json:"removed"`
	Upgraded   []VersionChange `json:"upgraded"`
	Downgraded []VersionChange `json:"downgraded"`
}

// Package is a package name and version.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// VersionChange is a package whose version changed.
type VersionChange struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Equal reports whether nothing differs.
func (r *Result) Equal() bool {
	p, f := r.Packages, r.Files
	return (p == nil || len(p.Added)+len(p.Removed)+len(p.Upgraded)+len(p.Downgraded) == 0) &&
		(f == nil || len(f.Added)+len(f.Removed)+len(f.Changed) == 0)
}

// Compare opens old and new side by side (see Open) and compares them.
func Compare(ctx context.Context, oldPath, newPath string) (*Result, error) {
	var old, new *Image
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { old, err = Open(gctx, oldPath); return err })
	g.Go(func() (err error) { new, err = Open(gctx, newPath); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return CompareImages(ctx, old, new)
}

// CompareImages compares two opened inputs of comparable kinds.
func CompareImages(ctx context.Context, old, new *Image) (*Result, error) {
	if err := checkComparable(old, new); err != nil {
		return nil, err
	}
	r := &Result{Old: old.Path, New: new.Path}
	if old.Packages != nil && new.Packages != nil {
		r.Packages = comparePackages(old.Packages, new.Packages)
	} else if !old.Kind.hasFiles() {
		return nil, fmt.Errorf("comparing %s and %s: no packages to compare", old.Path, new.Path)
	}
	if old.Kind.hasFiles() {
		files, err := compareFiles(ctx, old.Files, new.Files)
		if err != nil {
			return nil, err
		}
		r.Files = files
	}
	return r, nil
}

func comparePackages(old, new map[string]string) *PackageChanges {
	c := &PackageChanges{Added: []Package{}, Removed: []Package{}, Upgraded: []VersionChange{}, Downgraded: []VersionChange{}}
	for _, name := range sortedKeys(new) {
		ov, ok := old[name]
		nv := new[name]
		switch {
		case !ok:
			c.Added = append(c.Added, Package{name, nv})
		case dpkg.CompareVersions(ov, nv) < 0:
			c.Upgraded = append(c.Upgraded, VersionChange{name, ov, nv})
		case dpkg.CompareVersions(ov, nv) > 0:
			c.Downgraded = append(c.Downgraded, VersionChange{name, ov, nv})
		}
	}
	for _, name := range sortedKeys(old) {
		if _, ok := new[name]; !ok {
			c.Removed = append(c.Removed, Package{name, old[name]})
		}
	}
	return c
}
