package debootstrap

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// DebKey names a .deb in the map DebDigests returns.
func DebKey(name, version, arch string) string { return name + " " + version + " " + arch }

// DebDigests returns the SHA-256 of every .deb the archive of opt lists
// in its Packages indices for opt's architecture (arch: all included),
// keyed by DebKey: the checksums the bootstrap verified the .debs it
// fetched with. The Release is fetched and verified again; each index's
// digests are kept in the package cache beside its parsed form (a few MB
// of text, read in a fraction of the time the whole index takes).
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
		if err := b.archive.readDigests(ctx, c, sums); err != nil {
			return nil, err
		}
	}
	return sums, nil
}

// readDigests adds the .deb digests of one component's index to sums,
// from the digest file of the package cache, made from the index when
// missing.
func (a *archive) readDigests(ctx context.Context, component string, sums map[string]string) error {
	_, sum, err := indexPath(a.rel, component, a.arch)
	if err != nil {
		return err
	}
	name := a.fetch.cache.debDigests(sum.SHA256)
	if f, err := os.Open(name); err == nil {
		defer f.Close()
		return readDigestLines(f, sums)
	}
	pkgs, err := a.loadIndex(ctx, component)
	if err != nil {
		return err
	}
	var text strings.Builder
	for _, p := range pkgs {
		k := DebKey(p.Name, p.Version, p.Arch)
		sums[k] = p.SHA256
		text.WriteString(k + " " + p.SHA256 + "\n")
	}
	writeCacheFile(name, text.String())
	return nil
}

// readDigestLines reads "NAME VERSION ARCH SHA256" lines.
func readDigestLines(r io.Reader, sums map[string]string) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndexByte(line, ' ')
		if i < 0 || !isSHA256(line[i+1:]) {
			return fmt.Errorf("malformed .deb digest line %q", truncate(line))
		}
		sums[line[:i]] = line[i+1:]
	}
	return sc.Err()
}

// writeCacheFile writes a derived cache file atomically; failing to is
// not an error (the next reader derives it again).
func writeCacheFile(name, text string) {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".debs-")
	if err != nil {
		return
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(text); err != nil || tmp.Close() != nil {
		return
	}
	os.Rename(tmp.Name(), name)
}
