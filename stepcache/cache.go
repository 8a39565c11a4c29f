// Package stepcache keeps a snapshot of the image root after the bootstrap
// and after each step, as overlayfs layers: each entry is the upper folder
// of the overlay its step ran on, so a snapshot costs only what the step
// changed. An entry is keyed by a hash of everything that determines it
// (see Key), written under a temporary name and renamed when complete, so a
// torn entry is never used; its content hash is checked before reuse, so a
// corrupted entry is detected and rebuilt. The cache has a size limit and
// evicts the least recently used entries with everything built on them.
package stepcache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Cache is a folder of layers.
type Cache struct {
	dir    string
	limit  int64 // bytes; 0 means no limit
	lock   *os.File
	remote *remote // nil without a remote cache
	mode   string  // ModeOverlay or ModeCopy, once probed
	live   *live   // the copied tree, in copy mode
	// written holds the entries this process wrote (built, or fetched and
	// checked), whose digest was computed from what is on disk now.
	written map[Key]bool
}

// meta is stored beside each layer.
type meta struct {
	Parent  Key       `json:"parent,omitempty"`
	Label   string    `json:"label"`
	Digest  string    `json:"digest"` // content hash of the layer folder
	Size    int64     `json:"size"`
	Created time.Time `json:"created"`
}

const (
	layersDir = "layers"
	workDir   = "work"
	tmpMark   = ".tmp-"
)

// Open opens (creating it when missing) the cache at dir, takes its lock
// (one build at a time uses a cache; another waits), and removes what
// interrupted builds left: torn entries and work folders.
func Open(dir string, limit int64) (*Cache, error) { return OpenNotify(dir, limit, nil) }

// OpenNotify is Open that calls wait, when another build holds the cache,
// with what it waits for.
func OpenNotify(dir string, limit int64, wait func(string)) (*Cache, error) {
	// Absolute: overlay mounts are made from inside the cache's folders
	// (see mountIn), where a relative path no longer names them.
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("opening step cache %s: %w", dir, err)
	}
	c := &Cache{dir: dir, limit: limit}
	for _, d := range []string{layersDir, workDir} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("opening step cache %s: %w", dir, err)
		}
	}
	lock, err := lockFile(filepath.Join(dir, "lock"), func() {
		if wait != nil {
			wait("waiting for another build using the step cache " + dir)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("locking step cache %s: %w", dir, err)
	}
	c.lock = lock
	if err := c.removeTorn(); err != nil {
		c.Close()
		return nil, fmt.Errorf("opening step cache %s: %w", dir, err)
	}
	return c, nil
}

// Close releases the cache's lock.
func (c *Cache) Close() error {
	c.dropLive()
	if c.lock == nil {
		return nil
	}
	err := c.lock.Close()
	c.lock = nil
	return err
}

// WorkDir is a folder for scratch files of the build holding the cache;
// the next Open empties it.
func (c *Cache) WorkDir() string { return filepath.Join(c.dir, workDir) }

// Dir returns the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// LayerDir returns the folder holding the layer of k.
func (c *Cache) LayerDir(k Key) string { return filepath.Join(c.dir, layersDir, string(k)) }

func (c *Cache) metaPath(k Key) string { return c.LayerDir(k) + ".json" }

func (c *Cache) removeTorn() error {
	for _, d := range []string{layersDir, workDir} {
		ents, err := os.ReadDir(filepath.Join(c.dir, d))
		if err != nil {
			return err
		}
		for _, e := range ents {
			if d == workDir || strings.Contains(e.Name(), tmpMark) {
				if err := removeAll(filepath.Join(c.dir, d, e.Name())); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (c *Cache) readMeta(k Key) (*meta, error) {
	b, err := os.ReadFile(c.metaPath(k))
	if err != nil {
		return nil, err
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reading step cache entry %s: %w", k.Short(), err)
	}
	return &m, nil
}

// Has reports whether a complete entry for k exists (it is not verified).
func (c *Cache) Has(k Key) bool {
	if _, err := c.readMeta(k); err != nil {
		return false
	}
	fi, err := os.Stat(c.LayerDir(k))
	return err == nil && fi.IsDir()
}

// Chain returns the layers of k from the base up to k itself.
func (c *Cache) Chain(k Key) ([]Key, error) {
	var chain []Key
	for cur := k; cur != ""; {
		m, err := c.readMeta(cur)
		if err != nil {
			return nil, fmt.Errorf("following step cache chain at %s: %w", cur.Short(), err)
		}
		chain = append([]Key{cur}, chain...)
		cur = m.Parent
		if len(chain) > 4096 {
			return nil, errors.New("following step cache chain: loop")
		}
	}
	return chain, nil
}

// Verify recomputes the content hash of k's layer and compares it with the
// one recorded when the entry was written; it also marks the entry used.
func (c *Cache) Verify(k Key) error {
	m, err := c.readMeta(k)
	if err != nil {
		return err
	}
	got, _, err := Digest(c.LayerDir(k))
	if err != nil {
		return fmt.Errorf("verifying step cache entry %s: %w", k.Short(), err)
	}
	if got != m.Digest {
		return fmt.Errorf("verifying step cache entry %s (%s): content changed since it was written", k.Short(), m.Label)
	}
	now := time.Now()
	return os.Chtimes(c.metaPath(k), now, now)
}

func (c *Cache) markWritten(k Key) {
	if c.written == nil {
		c.written = map[Key]bool{}
	}
	c.written[k] = true
}

// Written reports whether this Cache wrote the entry k: its digest was
// just computed, so a build need not verify it again.
func (c *Cache) Written(k Key) bool { return c.written[k] }

// Remove deletes the entry k (not its descendants).
func (c *Cache) Remove(k Key) error {
	delete(c.written, k)
	if err := os.Remove(c.metaPath(k)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return removeAll(c.LayerDir(k))
}

// Clean empties the cache.
func (c *Cache) Clean() error {
	for _, d := range []string{layersDir, workDir} {
		if err := removeAll(filepath.Join(c.dir, d)); err != nil {
			return fmt.Errorf("emptying step cache %s: %w", c.dir, err)
		}
	}
	return nil
}

// removeAll is os.RemoveAll made able to delete folders whose mode forbids
// writing (packages ship such folders).
func removeAll(p string) error {
	err := os.RemoveAll(p)
	if err == nil {
		return nil
	}
	filepath.WalkDir(p, func(q string, d fs.DirEntry, e error) error {
		if e == nil && d.IsDir() {
			os.Chmod(q, 0o700)
		}
		return nil
	})
	return os.RemoveAll(p)
}

// View returns the cache at dir for reading only (no lock, no clean-up),
// as plan uses it.
func View(dir string) *Cache { return &Cache{dir: dir} }
