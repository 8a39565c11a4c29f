// Package debootstrap creates a Debian or Ubuntu base system natively in
// Go: it verifies the archive's signed Release, resolves the package set,
// downloads .debs in parallel into a content-addressed cache, unpacks the
// essential set and configures everything with the root's own dpkg.
//
// CONTRACT (written before the implementation; the implementer fills it in,
// keeps these names, and may add to them).
package debootstrap

import (
	"context"
	"errors"
	"io"
)

// Options are the bootstrap parameters, as in the definition's bootstrap
// block and the `chrootbuild bootstrap` flags.
type Options struct {
	Distribution string   // "debian" or "ubuntu"
	Suite        string   // bookworm, trixie, jammy, noble, ...
	Arch         string   // amd64, arm64, armhf; "" means the host's
	Variant      string   // essential, minbase (default), standard
	Mirror       string   // "" means the distribution's default for Arch
	Components   []string // default: main
	Include      []string
	Exclude      []string
	Keyring      string // path to an OpenPGP keyring; "" means the shipped one
	Insecure     bool   // accept an unsigned archive (local test mirrors)
	CacheDir     string // content-addressed .deb and index cache
	Log          io.Writer
}

// Result describes a finished bootstrap.
type Result struct {
	Packages   []string // installed package names, sorted
	ReleaseSHA string   // SHA256 of the verified Release, for cache keys
}

// Bootstrap builds the base system into dir, which must be empty or
// missing. On error the half-built root is removed.
func Bootstrap(ctx context.Context, dir string, opt Options) (*Result, error) {
	return nil, errors.New("debootstrap: not implemented yet")
}
