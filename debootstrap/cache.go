package debootstrap

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// cache is a content-addressed store: every file lives under its SHA256,
// so builds of any suite, architecture or distribution share it, and a
// file is only ever published complete (written aside, verified, renamed).
type cache struct {
	dir cachedir.Dir
}

// openCache opens the package cache of the cache folder dir
// (cachedir.Default when empty).
func openCache(dir string) (*cache, error) {
	d := cachedir.Or(dir)
	for _, sub := range []string{d.Blobs(), d.Partial(), d.Locks()} {
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, fmt.Errorf("creating cache %s: %w", d, err)
		}
	}
	return &cache{dir: d}, nil
}

// path is where the file with the given SHA256 lives.
func (c *cache) path(sum string) string {
	return filepath.Join(c.dir.Blobs(), sum[:2], sum)
}

func (c *cache) partial(sum string) string {
	return filepath.Join(c.dir.Partial(), sum)
}

func (c *cache) lockPath(sum string) string {
	return filepath.Join(c.dir.Locks(), sum)
}

// debDigests is where the .deb digests of the index with the given
// SHA256 live.
func (c *cache) debDigests(sum string) string {
	return filepath.Join(c.dir.Index(), sum+".debs")
}

// parsed is where the parsed form of the index with the given SHA256
// lives.
func (c *cache) parsed(sum string) string {
	return filepath.Join(c.dir.Index(), sum+".gob3")
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
	got, err := filehash.Sum(p)
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
