package debootstrap

import (
	"context"
	"fmt"
	"io"
	"sort"
)

// PackageID names one .deb exactly: what a bootstrap's cache key is made
// of, so that a mirror update that leaves a base's packages alone keeps
// its cached layer valid.
type PackageID struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Architecture string `json:"architecture"`
	SHA256       string `json:"sha256"`
}

// String is the form hashed into cache keys.
func (p PackageID) String() string {
	return fmt.Sprintf("%s %s %s %s", p.Name, p.Version, p.Architecture, p.SHA256)
}

// Archive is a suite's package indices as the mirror serves them now,
// verified, for resolving package sets without installing anything.
type Archive struct {
	b *builder
	u *universe
}

// OpenArchive fetches and verifies the Release of the archive a Bootstrap
// with opt would use and loads its indices (from the cache when
// unchanged).
func OpenArchive(ctx context.Context, opt Options) (*Archive, error) {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	b, err := newBuilder("", opt)
	if err != nil {
		return nil, fmt.Errorf("reading the archive of %s %s: %w", opt.Distribution, opt.Suite, err)
	}
	if err := b.openRelease(ctx); err != nil {
		return nil, err
	}
	u, err := b.loadUniverse(ctx)
	if err != nil {
		return nil, err
	}
	return &Archive{b: b, u: u}, nil
}

// Resolve returns the exact package set a Bootstrap with the archive's
// options and these extra packages would install, sorted by name.
func (a *Archive) Resolve(include []string) ([]PackageID, error) {
	chosen, err := a.b.resolveIn(a.u, append(append([]string(nil), a.b.opt.Include...), include...))
	if err != nil {
		return nil, err
	}
	return packageSet(chosen, a.b.arch), nil
}

// ResolvedArch is the architecture a bootstrap with opt builds for: its
// Arch, or the host's.
func (o Options) ResolvedArch() string {
	if o.Arch != "" {
		return o.Arch
	}
	return hostArch()
}

func packageSet(chosen []*Package, buildArch string) []PackageID {
	out := make([]PackageID, 0, len(chosen))
	for _, p := range chosen {
		a := p.Arch
		if a == "" {
			a = buildArch
		}
		out = append(out, PackageID{Name: p.Name, Version: p.Version, Architecture: a, SHA256: p.SHA256})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
