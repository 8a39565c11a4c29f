package oci

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// keepLayers is how many compressed layers the cache keeps, most recently
// used first.
const keepLayers = 3

// layerCache is a folder of compressed layers named by their diffID (the
// hash of the plain tar). Hashing a root is several times cheaper than
// compressing it, so releasing the same root again (another tag, a retry
// after a failed push) finds its layer here and compresses nothing.
type layerCache string

// cacheEntry is the sidecar of DIFFID.tar.gz; written last, it marks the
// layer complete.
type cacheEntry struct {
	Digest string `json:"digest"`
	Size   int64  `json:"size"`
}

func (c layerCache) paths(diffID v1.Hash) (gz, meta string) {
	base := filepath.Join(string(c), diffID.Hex)
	return base + ".tar.gz", base + ".json"
}

// layer returns the cached layer of source, making it on a miss.
func (c layerCache) layer(ctx context.Context, source string) (*fileLayer, error) {
	if err := os.MkdirAll(string(c), 0o755); err != nil {
		return nil, fmt.Errorf("creating layer cache: %w", err)
	}
	id, err := diffID(ctx, source)
	if err != nil {
		return nil, err
	}
	if fl, ok := c.get(id); ok {
		return fl, nil
	}
	fl, err := c.put(ctx, source, id)
	if err != nil {
		return nil, err
	}
	c.prune(keepLayers)
	return fl, nil
}

func (c layerCache) get(id v1.Hash) (*fileLayer, bool) {
	gz, meta := c.paths(id)
	b, err := os.ReadFile(meta)
	if err != nil {
		return nil, false
	}
	var e cacheEntry
	st, err := os.Stat(gz)
	if json.Unmarshal(b, &e) != nil || err != nil || st.Size() != e.Size {
		return nil, false
	}
	d, err := v1.NewHash(e.Digest)
	if err != nil {
		return nil, false
	}
	now := time.Now()
	os.Chtimes(meta, now, now)
	return &fileLayer{path: gz, digest: d, diffID: id, size: e.Size}, true
}

// put compresses source into the cache under id, refusing a source that
// changed since it was hashed.
func (c layerCache) put(ctx context.Context, source string, id v1.Hash) (*fileLayer, error) {
	gz, meta := c.paths(id)
	f, err := os.CreateTemp(string(c), ".layer-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	fl, err := writeLayer(ctx, source, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if fl.diffID != id {
		return nil, fmt.Errorf("%s changed while it was read", source)
	}
	b, _ := json.Marshal(cacheEntry{Digest: fl.digest.String(), Size: fl.size})
	if err := os.Rename(f.Name(), gz); err != nil {
		return nil, err
	}
	if err := os.WriteFile(meta, b, 0o644); err != nil {
		return nil, err
	}
	fl.path = gz
	return fl, nil
}

// prune removes all but the keep most recently used layers.
func (c layerCache) prune(keep int) {
	metas, _ := filepath.Glob(filepath.Join(string(c), "*.json"))
	mtime := func(p string) time.Time {
		st, err := os.Stat(p)
		if err != nil {
			return time.Time{}
		}
		return st.ModTime()
	}
	sort.Slice(metas, func(i, j int) bool { return mtime(metas[i]).After(mtime(metas[j])) })
	for i := keep; i < len(metas); i++ {
		os.Remove(metas[i])
		os.Remove(strings.TrimSuffix(metas[i], ".json") + ".tar.gz")
	}
}
