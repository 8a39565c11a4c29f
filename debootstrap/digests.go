package debootstrap

import (
	"context"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// DebKey names a .deb in the map DebDigests returns.
func DebKey(name, version, arch string) string { return name + " " + version + " " + arch }

// DebDigests returns the SHA-256 of every .deb the archive of opt lists
// in its Packages indices for opt's architecture (arch: all included),
// keyed by DebKey: the checksums the bootstrap verified the .debs it
// fetched with. The Release is fetched and verified again; indices come
// from the package cache when this exact index was read before.
func DebDigests(ctx context.Context, opt Options) (map[string]string, error) {
	opt.Log = nil
	b, err := newBuilder("", opt)
	if err != nil {
		return nil, err
	}
	var keys openpgp.EntityList
	if !opt.Insecure {
		if keys, _, err = loadKeyring(b.dist, opt.Keyring); err != nil {
			return nil, err
		}
	}
	if err := b.archive.openRelease(ctx, keys, io.Discard); err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, c := range b.opt.Components {
		pkgs, err := b.archive.loadIndex(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, p := range pkgs {
			sums[DebKey(p.Name, p.Version, p.Arch)] = p.SHA256
		}
	}
	return sums, nil
}
