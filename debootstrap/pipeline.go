package debootstrap

import (
	"context"
	"path/filepath"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Parallel downloads and unpackers: downloads wait on the network,
// unpacking is decompression bound, so it gets one worker per core.
const (
	downloadJobs = 8
)

// fetchAndUnpack downloads every package into the cache and unpacks the
// essential ones into the root as soon as each arrives, so unpacking
// overlaps the downloads. It returns the path of each package's .deb for
// dpkg: the cached one, or for the unpacked ones the uncompressed copy
// made on the way.
func (b *builder) fetchAndUnpack(ctx context.Context, pkgs []*Package, essential map[string]bool) (map[string]string, error) {
	prog := newProgress(b.log, len(pkgs))
	paths := make(map[string]string, len(pkgs))
	var mu sync.Mutex
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
			mu.Lock()
			paths[p.Name] = path
			mu.Unlock()
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
		g.Go(func() error {
			for p := range toUnpack {
				mu.Lock()
				path := paths[p.Name]
				mu.Unlock()
				repacked := filepath.Join(b.dir, debDir, "repacked", p.Name+".deb")
				if err := b.extract.unpackRepack(path, p.Name, repacked); err != nil {
					return err
				}
				mu.Lock()
				paths[p.Name] = repacked
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	prog.finish()
	return paths, nil
}
