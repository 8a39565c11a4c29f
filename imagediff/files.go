package imagediff

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"
)

// FileChanges are the paths added and removed and the entries changed,
// each sorted by path.
type FileChanges struct {
	Added   []string     `json:"added"`
	Removed []string     `json:"removed"`
	Changed []FileChange `json:"changed"`
}

// FileChange is an entry present on both sides that differs.
type FileChange struct {
	Path    string   `json:"path"`
	Changes []Change `json:"changes"`
}

// Change is one property of an entry that differs: "type", "content"
// (Old and New are the sizes), "mode", "owner", "link", "device" or
// "xattrs".
type Change struct {
	What string `json:"what"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// compareFiles compares the entries of two images. Metadata is compared
// at once; the content of files of equal size on both sides is then read
// in parallel, and only for them.
func compareFiles(ctx context.Context, old, new map[string]*File) (*FileChanges, error) {
	c := &FileChanges{Added: []string{}, Removed: []string{}, Changed: []FileChange{}}
	var same []string // regular files of equal size: content to compare
	changes := map[string][]Change{}
	for _, p := range sortedKeys(new) {
		o, ok := old[p]
		n := new[p]
		if !ok {
			c.Added = append(c.Added, p)
			continue
		}
		changes[p] = metaChanges(o, n)
		if o.Type == "file" && n.Type == "file" {
			if o.Size != n.Size {
				changes[p] = append([]Change{sizeChange(o, n)}, changes[p]...)
			} else {
				same = append(same, p)
			}
		}
	}
	for _, p := range sortedKeys(old) {
		if _, ok := new[p]; !ok {
			c.Removed = append(c.Removed, p)
		}
	}
	differ, err := contentDiffers(ctx, same, old, new)
	if err != nil {
		return nil, err
	}
	for _, p := range differ {
		changes[p] = append([]Change{sizeChange(old[p], new[p])}, changes[p]...)
	}
	for _, p := range sortedKeys(changes) {
		if len(changes[p]) > 0 {
			c.Changed = append(c.Changed, FileChange{p, changes[p]})
		}
	}
	return c, nil
}

func sizeChange(o, n *File) Change {
	return Change{"content", fmt.Sprint(o.Size), fmt.Sprint(n.Size)}
}

// metaChanges lists what differs between two entries but content.
func metaChanges(o, n *File) []Change {
	if o.Type != n.Type {
		return []Change{{"type", o.Type, n.Type}}
	}
	var cs []Change
	add := func(what, a, b string) {
		if a != b {
			cs = append(cs, Change{what, a, b})
		}
	}
	if o.Type != "symlink" { // a link's mode means nothing
		add("mode", fmt.Sprintf("%04o", o.Mode), fmt.Sprintf("%04o", n.Mode))
	}
	add("owner", fmt.Sprintf("%d:%d", o.UID, o.GID), fmt.Sprintf("%d:%d", n.UID, n.GID))
	add("link", o.Link, n.Link)
	add("device", o.Dev, n.Dev)
	add("xattrs", o.Xattrs, n.Xattrs)
	return cs
}

// contentDiffers returns, in the order given, the paths whose content
// differs, reading them with as many workers as there are CPUs.
func contentDiffers(ctx context.Context, paths []string, old, new map[string]*File) ([]string, error) {
	differs := make([]bool, len(paths))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(2, runtime.NumCPU()))
	pool := &sync.Pool{New: func() any { return newBuffers() }}
	for i, p := range paths {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			b := pool.Get().(*buffers)
			defer pool.Put(b)
			eq, err := sameContent(old[p], new[p], b)
			differs[i] = !eq
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []string
	for i, d := range differs {
		if d {
			out = append(out, paths[i])
		}
	}
	return out, nil
}
