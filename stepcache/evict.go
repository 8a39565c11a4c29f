package stepcache

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type entry struct {
	key  Key
	meta *meta
	used time.Time
}

func (c *Cache) entries() ([]entry, error) {
	names, err := filepath.Glob(filepath.Join(c.dir, layersDir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, n := range names {
		k := Key(strings.TrimSuffix(filepath.Base(n), ".json"))
		m, err := c.readMeta(k)
		if err != nil {
			continue
		}
		fi, err := os.Stat(n)
		if err != nil {
			continue
		}
		out = append(out, entry{key: k, meta: m, used: fi.ModTime()})
	}
	return out, nil
}

// Size returns the bytes of file content held by the cache.
func (c *Cache) Size() (int64, error) {
	es, err := c.entries()
	var n int64
	for _, e := range es {
		n += e.meta.Size
	}
	return n, err
}

// Evict removes least recently used entries, each with every entry built
// on it, until the cache holds at most its limit.
func (c *Cache) Evict() error {
	if c.limit <= 0 {
		return nil
	}
	es, err := c.entries()
	if err != nil {
		return err
	}
	sort.Slice(es, func(i, j int) bool { return es[i].used.Before(es[j].used) })
	var total int64
	children := map[Key][]Key{}
	size := map[Key]int64{}
	for _, e := range es {
		total += e.meta.Size
		children[e.meta.Parent] = append(children[e.meta.Parent], e.key)
		size[e.key] = e.meta.Size
	}
	gone := map[Key]bool{}
	for _, e := range es {
		if total <= c.limit {
			break
		}
		total -= c.removeTree(e.key, children, size, gone)
	}
	return nil
}

func (c *Cache) removeTree(k Key, children map[Key][]Key, size map[Key]int64, gone map[Key]bool) int64 {
	if gone[k] {
		return 0
	}
	gone[k] = true
	freed := size[k]
	for _, ch := range children[k] {
		freed += c.removeTree(ch, children, size, gone)
	}
	c.Remove(k)
	return freed
}
