package stepcache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Mount is the layers of a chain made visible on Target with a writable
// upper folder: an overlay mount, or in copy mode a copied tree whose
// changes go to the upper folder when it is unmounted.
type Mount struct {
	Target string
	work   string
	copied *copyMount // set in copy mode
}

// MountLayers mounts, on target, the layers of chain (base first) read-only
// with upper as the writable layer. The caller runs in a private mount
// namespace, so the mount vanishes with the process whatever ends it.
// Lower folders are given relative to the cache's layer folder so that
// long chains fit in the mount options.
func (c *Cache) MountLayers(target string, chain []Key, upper string) (*Mount, error) {
	if len(chain) == 0 {
		return nil, fmt.Errorf("mounting overlay on %s: no lower layer", target)
	}
	if c.Mode() != ModeOverlay {
		return c.copyLayers(target, chain, upper)
	}
	work, err := os.MkdirTemp(filepath.Join(c.dir, workDir), "w")
	if err != nil {
		return nil, err
	}
	lowers := make([]string, len(chain))
	for i, k := range chain {
		lowers[len(chain)-1-i] = string(k) // overlay lists the top layer first
	}
	opts := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s",
		strings.Join(lowers, ":"), upper, work)
	if err := mountIn(filepath.Join(c.dir, layersDir), target, opts); err != nil {
		os.RemoveAll(work)
		return nil, fmt.Errorf("mounting overlay of %d layers on %s: %w", len(chain), target, err)
	}
	return &Mount{Target: target, work: work}, nil
}

// Unmount undoes the mount and removes its work folder.
func (m *Mount) Unmount() error {
	if m.copied != nil {
		return m.copied.release(m.Target)
	}
	if err := unix.Unmount(m.Target, 0); err != nil {
		return fmt.Errorf("unmounting overlay on %s: %w", m.Target, err)
	}
	return removeAll(m.work)
}

// mountIn mounts with dir as the working directory, which resolves the
// relative lower folders. os.Chdir is process-wide; the build holds no
// other relative paths while it mounts.
func mountIn(dir, target, opts string) error {
	if len(opts) >= 4096 {
		return fmt.Errorf("too many layers for one overlay mount (%d bytes of options)", len(opts))
	}
	old, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.Chdir(dir); err != nil {
		return err
	}
	defer os.Chdir(old)
	return unix.Mount("overlay", target, "overlay", 0, opts)
}

func unmount(target string) error { return unix.Unmount(target, 0) }
