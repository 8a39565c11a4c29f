package stepcache

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Modes of stacking layers. Overlay mounts them (a snapshot costs what the
// step changed); copy, for a cache folder where overlayfs cannot serve (on
// overlayfs itself, NFS, a kernel without it), keeps one copied tree and
// records each step's changes as an overlay upper folder would hold them,
// so entries have the same keys and form in both modes.
// Direct, for a build with the step cache off, builds in one folder:
// nothing is stacked, copied or compared, since nothing is kept.
const (
	ModeOverlay = "overlay"
	ModeCopy    = "copy"
	ModeDirect  = "direct"
)

// ModeEnv forces a mode ("copy" or "overlay") instead of probing.
const ModeEnv = "CHROOTBUILD_SNAPSHOT"

// Mode returns how the cache stacks layers, probing once whether overlayfs
// can mount from the cache's folder.
func (c *Cache) Mode() string {
	if c.mode == "" {
		c.mode = ModeCopy
		switch os.Getenv(ModeEnv) {
		case ModeCopy:
		case ModeOverlay:
			c.mode = ModeOverlay
		default:
			if c.probeOverlay() == nil {
				c.mode = ModeOverlay
			}
		}
	}
	return c.mode
}

// BuildInPlace makes a throw-away cache build in one folder (ModeDirect):
// the base layer's folder becomes the root and every step changes it in
// place; the entries after the base stay empty.
func (c *Cache) BuildInPlace() { c.mode = ModeDirect }

// probeOverlay mounts and unmounts a one-layer overlay in the work folder.
func (c *Cache) probeOverlay() error {
	dir, err := os.MkdirTemp(filepath.Join(c.dir, workDir), "probe-")
	if err != nil {
		return err
	}
	defer removeAll(dir)
	for _, d := range []string{"l", "u", "w", "m"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			return err
		}
	}
	m := filepath.Join(dir, "m")
	if err := mountIn(dir, m, "lowerdir=l,upperdir=u,workdir=w"); err != nil {
		return fmt.Errorf("probing overlayfs in %s: %w", c.dir, err)
	}
	return unmount(m)
}

// copyMount is a tree copied from layers, handed out as a Mount.
type copyMount struct {
	c      *Cache
	chain  []Key
	upper  string
	before map[string]stamp
}

// live is the copied tree kept between steps, so that each step copies
// nothing but what it changes: after a step, the tree is the chain plus
// the step's changes, valid for the next step once they are committed.
type live struct {
	dir     string
	chain   []Key
	pending string // the upper folder holding changes not yet committed
}

func (c *Cache) copyLayers(target string, chain []Key, upper string) (*Mount, error) {
	if c.mode == ModeDirect {
		return c.directRoot(target, chain)
	}
	if l := c.live; l != nil && l.pending == "" && slices.Equal(l.chain, chain) {
		if err := moveOnto(l.dir, target); err != nil {
			return nil, fmt.Errorf("reusing the copied root for %s: %w", target, err)
		}
	} else {
		c.dropLive()
		for _, k := range chain {
			if err := applyLayer(c.LayerDir(k), target); err != nil {
				return nil, err
			}
		}
	}
	c.live = nil
	before, err := snapshot(target)
	if err != nil {
		return nil, err
	}
	return &Mount{Target: target, copied: &copyMount{c: c, chain: chain, upper: upper, before: before}}, nil
}

// directRoot hands out the one folder of a direct build: the base layer's
// own folder the first time, moved into place.
func (c *Cache) directRoot(target string, chain []Key) (*Mount, error) {
	from := c.LayerDir(chain[0])
	if c.live != nil {
		from = c.live.dir
	}
	if err := moveOnto(from, target); err != nil {
		return nil, fmt.Errorf("moving the root to %s: %w", target, err)
	}
	c.live = nil
	return &Mount{Target: target, copied: &copyMount{c: c, chain: chain}}, nil
}

// release writes the tree's changes to the upper folder and keeps the tree
// for the next step.
func (m *copyMount) release(target string) error {
	if m.before == nil { // direct
		keep := filepath.Join(m.c.dir, workDir, "live")
		if err := os.Rename(target, keep); err != nil {
			return fmt.Errorf("keeping the root %s: %w", target, err)
		}
		m.c.live = &live{dir: keep}
		return nil
	}
	if err := writeDiff(target, m.before, m.upper); err != nil {
		removeAll(target)
		return err
	}
	keep := filepath.Join(m.c.dir, workDir, "live")
	removeAll(keep)
	if err := os.Rename(target, keep); err != nil {
		removeAll(target)
		return nil
	}
	m.c.live = &live{dir: keep, chain: m.chain, pending: m.upper}
	return nil
}

// committed tells the live tree that its pending changes became entry k.
func (c *Cache) committed(upper string, k Key) {
	if c.live != nil && c.live.pending == upper {
		c.live.chain = append(slices.Clone(c.live.chain), k)
		c.live.pending = ""
	}
}

func (c *Cache) dropLive() {
	if c.live != nil {
		removeAll(c.live.dir)
		c.live = nil
	}
}

// moveOnto renames the folder from to target, an empty folder it replaces.
func moveOnto(from, target string) error {
	if err := os.Remove(target); err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.Rename(from, target)
}
