package debootstrap

import (
	"context"
	"path/filepath"
	"sync"

	"golang.org/x/sync/errgroup"
)

// downloadJobs bounds the parallel downloads: they wait on the network,
// so more than the cores, but few enough to be polite to a mirror.
const downloadJobs = 8

// debPaths records where each package's .deb is, safely for the workers.
type debPaths struct {
	mu    sync.Mutex
	paths map[string]string
}

func (d *debPaths) set(name, path string) {
	d.mu.Lock()
	d.paths[name] = path
	d.mu.Unlock()
}

func (d *debPaths) get(name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.paths[name]
}

// fetchAndUnpack downloads every package into the cache and unpacks the
// essential ones into the root as soon as each arrives, so unpacking
// overlaps the downloads. It returns the path of each package's .deb for
// dpkg: the cached one, or for the unpacked ones the uncompressed copy
// made on the way.
func (b *builder) fetchAndUnpack(ctx context.Context, pkgs []*Package, essential map[string]bool) (map[string]string, error) {
	prog := newProgress(b.log, len(pkgs))
	debs := &debPaths{paths: make(map[string]string, len(pkgs))}
	toUnpack := make(chan *Package, len(pkgs))
	g, gctx := errgroup.WithContext(ctx)
	fetchers, _ := errgroup.WithContext(gctx)
	fetchers.SetLimit(downloadJobs)
	for _, p := range pkgs {
		fetchers.Go(func() error {
			path, downloaded, err := b.fetch.getFile(gctx, b.archive.poolURL(p.Filename), p.SHA256, p.Size)
			if err != nil {
				return err
			}
			debs.set(p.Name, path)
			prog.fetched(p, downloaded)
			if essential[p.Name] {
				toUnpack <- p
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(toUnpack)
		return fetchers.Wait()
	})
	for range unpackJobs() {
		g.Go(func() error { return b.unpackWorker(gctx, toUnpack, debs) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	prog.finish()
	return debs.paths, nil
}

// unpackWorker unpacks packages as they arrive, each into the root and
// into its uncompressed copy for dpkg.
func (b *builder) unpackWorker(ctx context.Context, toUnpack <-chan *Package, debs *debPaths) error {
	for p := range toUnpack {
		if err := ctx.Err(); err != nil {
			return err
		}
		repacked := filepath.Join(b.dir, debDir, "repacked", p.Name+".deb")
		if err := b.extract.unpackRepack(debs.get(p.Name), p.Name, repacked); err != nil {
			return err
		}
		debs.set(p.Name, repacked)
	}
	return nil
}
