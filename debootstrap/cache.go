package debootstrap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// cache is a content-addressed store: every file lives under its SHA256,
// so builds of any suite, architecture or distribution share it, and a
// file is only ever published complete (written aside, verified, renamed).
type cache struct {
	dir string
}

// DefaultCacheDir is where downloaded packages and indices are kept when
// Options.CacheDir is empty.
const DefaultCacheDir = "/var/cache/chrootbuild"

func openCache(dir string) (*cache, error) {
	if dir == "" {
		dir = DefaultCacheDir
	}
	for _, sub := range []string{"sha256", "partial", "locks"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("creating cache %s: %w", dir, err)
		}
	}
	return &cache{dir: dir}, nil
}

// path is where the file with the given SHA256 lives.
func (c *cache) path(sum string) string {
	return filepath.Join(c.dir, "sha256", sum[:2], sum)
}

func (c *cache) partial(sum string) string {
	return filepath.Join(c.dir, "partial", sum)
}

func (c *cache) lockPath(sum string) string {
	return filepath.Join(c.dir, "locks", sum)
}

// lookup returns the path of a complete, intact entry. An entry whose
// content no longer matches its name (disk trouble, a hand edit) is
// removed so that it is fetched again.
func (c *cache) lookup(sum string, size int64) (string, bool, error) {
	p := c.path(sum)
	fi, err := os.Stat(p)
	if err != nil {
		return p, false, nil
	}
	if size >= 0 && fi.Size() != size {
		return p, false, c.discard(p, "size")
	}
	got, err := fileSHA256(p)
	if err != nil {
		return p, false, err
	}
	if got != sum {
		return p, false, c.discard(p, "checksum")
	}
	return p, true, nil
}

func (c *cache) discard(p, why string) error {
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("removing corrupted cache entry %s (%s mismatch): %w", p, why, err)
	}
	return nil
}

// publish moves a verified partial file into its place.
func (c *cache) publish(partial, sum string) (string, error) {
	p := c.path(sum)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	return p, os.Rename(partial, p)
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
