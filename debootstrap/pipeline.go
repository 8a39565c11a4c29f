package debootstrap

import (
	"context"
	"fmt"
	"os"
	"sync"

	"golang.org/x/sync/errgroup"
)

// downloadJobs bounds the parallel downloads: they wait on the network,
// so more than the cores, but few enough to be polite to a mirror.
const downloadJobs = 8

// debFile is where a package's .deb is: a host path in the cache, or a
// path inside the root (the repacked copy of an unpacked package).
type debFile struct {
	path   string
	inRoot bool
	// For the fast install: the package's uncompressed data tar inside the
	// root ("" for the essential set, already unpacked), and its conffiles.
	plain     string
	conffiles map[string]bool
}

// debPaths records where each package's .deb is, safely for the workers.
type debPaths struct {
	mu    sync.Mutex
	paths map[string]debFile
}

func (d *debPaths) set(name string, f debFile) {
	d.mu.Lock()
	d.paths[name] = f
	d.mu.Unlock()
}

func (d *debPaths) get(name string) debFile {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.paths[name]
}

// fetchAndUnpack downloads every package into the cache and unpacks the
// essential ones into the root as soon as each arrives, so unpacking
// overlaps the downloads. It returns the path of each package's .deb for
// dpkg: the cached one, or for the unpacked ones the uncompressed copy
// made on the way.
func (b *builder) fetchAndUnpack(ctx context.Context, pkgs []*Package, essential map[string]bool) (map[string]debFile, error) {
	prog := newProgress(b.log, len(pkgs))
	debs := &debPaths{paths: make(map[string]debFile, len(pkgs))}
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
			debs.set(p.Name, debFile{path: path})
			prog.fetched(p, downloaded)
			if essential[p.Name] || !b.opt.InstallWithDpkg || b.opt.UnpackOnly {
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
		g.Go(func() error { return b.unpackWorker(gctx, toUnpack, debs, essential) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	prog.finish()
	return debs.paths, nil
}

// unpackWorker unpacks packages as they arrive, each into its
// uncompressed copy for dpkg and, for the essential set, into the root.
// For the fast install the copy is a skeleton (see skeletonData), the
// essential set's conffiles are also written as .dpkg-new, where dpkg's
// configure step expects them, and the other packages' data is kept as a
// plain tar for unpackRest.
func (b *builder) unpackWorker(ctx context.Context, toUnpack <-chan *Package, debs *debPaths, essential map[string]bool) error {
	for p := range toUnpack {
		if err := ctx.Err(); err != nil {
			return err
		}
		if b.opt.UnpackOnly {
			if err := b.extract.unpackDeb(debs.get(p.Name).path, p.Name); err != nil {
				return err
			}
			continue
		}
		f := debFile{path: debDir + "/repacked/" + p.Name + ".deb", inRoot: true}
		how := repackHow{extract: essential[p.Name]}
		if !b.opt.InstallWithDpkg {
			how.rule, how.skeleton = &unpackRule{keepBoth: true}, true
			if !essential[p.Name] {
				f.plain = debDir + "/plain/" + p.Name + ".tar"
			}
		}
		if err := b.unpackRepack(debs.get(p.Name).path, p.Name, f, how); err != nil {
			return err
		}
		if how.rule != nil {
			f.conffiles = how.rule.conffiles
		}
		debs.set(p.Name, f)
	}
	return nil
}

// unpackRepack unpacks the .deb at file (in the cache) as how says,
// writing its copy at f.path and its plain data tar at f.plain (when
// set): new files inside the root, created without following any symlink
// out of it.
func (b *builder) unpackRepack(file, name string, f debFile, how repackHow) error {
	create := func(p string) (*os.File, error) {
		return b.root.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	out, err := create(f.path)
	if err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	defer out.Close()
	if f.plain != "" {
		plain, err := create(f.plain)
		if err != nil {
			return fmt.Errorf("unpacking %s: %w", name, err)
		}
		defer plain.Close()
		how.plain = plain
	}
	if err := b.extract.unpackRepack(file, name, out, how); err != nil {
		return err
	}
	if c, ok := how.plain.(*os.File); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("unpacking %s: %w", name, err)
		}
	}
	return out.Close()
}
