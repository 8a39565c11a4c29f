package builder

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// CacheStatus says, for the base (index 0) and each step (index i+1),
// whether a build now would take it from the step cache at stepCache
// (default: the default cache folder's). It reads the cache without locking or
// verifying it, and needs the mirror to compute the base's key.
func CacheStatus(ctx context.Context, img *hcl.Image, stepCache string) ([]bool, error) {
	if stepCache == "" {
		stepCache = cachedir.Dir(cachedir.Default).Steps()
	}
	if _, err := os.Stat(stepCache); err != nil {
		return make([]bool, len(img.Steps)+1), nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	keys, err := Keys(ctx, img, "")
	if err != nil {
		return nil, fmt.Errorf("computing step cache keys: %w", err)
	}
	c := stepcache.View(stepCache)
	status := make([]bool, len(keys))
	for i, k := range keys {
		if !c.Has(k) {
			break
		}
		status[i] = true
	}
	return status, nil
}
