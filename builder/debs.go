package builder

import (
	"context"
	"sync"

	"github.com/chrootbuild/chrootbuild/debootstrap"
)

// debDigests looks up the .debs of the image's archive for the outputs
// that record them (the SPDX manifest): the archive's indices are read
// once, on the first lookup, through the package cache.
type debDigests struct {
	opt  debootstrap.Options
	once sync.Once
	sums map[string]string
	err  error
}

func newDebDigests(b *builder) *debDigests {
	opt := b.img.Bootstrap
	opt.CacheDir, opt.Log = b.opt.CacheDir, nil
	return &debDigests{opt: opt}
}

// lookup returns the SHA-256 of the .deb name_version_arch, "" when the
// archive does not list it (a package from another source).
func (d *debDigests) lookup(ctx context.Context, name, version, arch string) (string, error) {
	d.once.Do(func() { d.sums, d.err = debootstrap.DebDigests(ctx, d.opt) })
	if d.err != nil {
		return "", d.err
	}
	return d.sums[debootstrap.DebKey(name, version, arch)], nil
}
