package oci

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLayerCache: the second build of the same root takes the cached file
// without writing it again, and gives the digest an uncached build gives;
// a changed root makes a new layer; only the last few are kept.
func TestLayerCache(t *testing.T) {
	root := makeRoot(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	cache := layerCache(t.TempDir())
	ctx := context.Background()
	first, err := cache.layer(ctx, root)
	must(t, err)
	old := time.Now().Add(-time.Hour)
	must(t, os.Chtimes(first.path, old, old))
	again, err := cache.layer(ctx, root)
	must(t, err)
	if st, _ := os.Stat(again.path); again.path != first.path || !st.ModTime().Equal(old) {
		t.Errorf("second build rewrote the cached layer")
	}
	plain, err := tempLayer(ctx, root)
	must(t, err)
	defer os.Remove(plain.path)
	if plain.digest != first.digest || plain.diffID != first.diffID || plain.size != first.size {
		t.Errorf("cached layer %+v, uncached %+v", first, plain)
	}
	for i := 0; i < 4; i++ {
		must(t, os.WriteFile(filepath.Join(root, "etc/hostname"), []byte{byte('a' + i)}, 0o644))
		l, err := cache.layer(ctx, root)
		must(t, err)
		if l.digest == first.digest {
			t.Fatal("a changed root gave the same layer")
		}
	}
	if gz, _ := filepath.Glob(filepath.Join(string(cache), "*.tar.gz")); len(gz) != keepLayers {
		t.Errorf("cache keeps %d layers, want %d", len(gz), keepLayers)
	}
}
