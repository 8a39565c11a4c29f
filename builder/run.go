package builder

import (
	"context"
	"fmt"
	"os"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/provision"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

func (b *builder) run(ctx context.Context) error {
	keys, err := Keys(ctx, b.img, b.opt.CacheDir)
	if err != nil {
		return fmt.Errorf("computing step cache keys: %w", err)
	}
	b.keys = keys
	b.fetchRemote(ctx)
	done := b.restorable()
	if done < 0 {
		if err := b.bootstrap(ctx); err != nil {
			return err
		}
	} else {
		b.ev.cached("bootstrap", pos(b.img.BootstrapRange), bootstrapSummary(b.img.Bootstrap))
	}
	for i, s := range b.img.Steps {
		if i+1 <= done {
			b.ev.cached(stepLabel(i, s), pos(s.Range), s.Summary())
			continue
		}
		if err := b.step(ctx, i, s); err != nil {
			return err
		}
	}
	return b.outputs(ctx)
}

// restorable returns the index in b.keys of the longest prefix whose
// layers are all present and intact, or -1. A corrupted layer is removed
// (with a message) so that it is built again.
func (b *builder) restorable() int {
	verified := map[stepcache.Key]bool{}
	for i := len(b.keys) - 1; i >= 0; i-- {
		if !b.allPresent(b.keys[:i+1]) {
			continue
		}
		ok := true
		for _, k := range b.keys[:i+1] {
			if verified[k] || b.cache.Written(k) {
				continue
			}
			if err := b.cache.Verify(k); err != nil {
				b.ev.warn(fmt.Sprintf("%v; building it again", err))
				b.cache.Remove(k)
				ok = false
				break
			}
			verified[k] = true
		}
		if ok {
			return i
		}
	}
	return -1
}

func (b *builder) allPresent(keys []stepcache.Key) bool {
	for _, k := range keys {
		if !b.cache.Has(k) {
			return false
		}
	}
	return true
}

func (b *builder) bootstrap(ctx context.Context) error {
	opt := b.img.Bootstrap
	opt.CacheDir = b.opt.CacheDir
	opt.Log = scrubWriter{b.ev.out, b.ev.scrub}
	if b.opt.JSON {
		// The bootstrap's lines become output events, its packages progress
		// events, so that the stream stays JSON.
		opt.Log, opt.Progress = b.ev.prefixed("bootstrap: "), b.ev.progress // emit scrubs them
	}
	b.ev.begin("bootstrap", pos(b.img.BootstrapRange), bootstrapSummary(opt))
	tx, err := b.cache.Begin(b.keys[0], "", "bootstrap")
	if err != nil {
		return err
	}
	if _, err := debootstrap.Bootstrap(ctx, tx.Dir(), opt); err != nil {
		tx.Abort()
		return fmt.Errorf("bootstrap (%s): %w", pos(b.img.BootstrapRange), err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	b.ev.end()
	return nil
}

// step applies step i on an overlay of the layers before it; the upper
// folder becomes the step's cache entry when the step succeeds.
func (b *builder) step(ctx context.Context, i int, s hcl.Step) error {
	name := stepName(i, s)
	b.ev.begin(stepLabel(i, s), pos(s.Range), s.Summary())
	tx, err := b.cache.Begin(b.keys[i+1], b.keys[i], stepLabel(i, s))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	err = b.withRoot(b.keys[:i+1], tx.Dir(), func(root *chroot.Root) error {
		if !s.Common.Network {
			root = root.Offline()
		}
		env := &provision.Env{Root: root, Dir: s.Dir, Log: b.ev.prefixed(fmt.Sprintf("step %d: ", i+1))}
		return s.Step.Apply(ctx, env)
	})
	if err != nil {
		tx.Abort()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	b.ev.end()
	return nil
}

// withRoot mounts the layers of chain with upper on top, prepares the root
// for commands, calls f, and undoes it all.
func (b *builder) withRoot(chain []stepcache.Key, upper string, f func(*chroot.Root) error) error {
	merged, err := os.MkdirTemp(b.work, "root-")
	if err != nil {
		return err
	}
	m, err := b.cache.MountLayers(merged, chain, upper)
	if err != nil {
		return err
	}
	defer m.Unmount()
	root, err := chroot.Open(merged)
	if err != nil {
		return err
	}
	undo, err := root.Prepare()
	if err != nil {
		return err
	}
	err = f(root)
	if uerr := undo(); err == nil {
		err = uerr
	}
	return err
}

func (b *builder) mountFinal() (*stepcache.Mount, error) {
	upper, err := os.MkdirTemp(b.work, "upper-")
	if err != nil {
		return nil, err
	}
	// The upper folder's mode becomes the image's /: MkdirTemp's 0700 would
	// lock every non-root service (timesyncd, dbus) out of the root.
	if err := os.Chmod(upper, 0o755); err != nil {
		return nil, err
	}
	merged, err := os.MkdirTemp(b.work, "final-")
	if err != nil {
		return nil, err
	}
	m, err := b.cache.MountLayers(merged, b.keys, upper)
	if err != nil {
		return nil, err
	}
	if err := b.finishRoot(merged); err != nil {
		m.Unmount()
		return nil, err
	}
	return m, nil
}

// finishRoot makes the view the outputs are written from the finished
// image: what only the build needed goes (in the scratch upper folder;
// the cached layers keep it for the next build's steps).
func (b *builder) finishRoot(dir string) error {
	root, err := chroot.Open(dir)
	if err != nil {
		return err
	}
	return debootstrap.FinishSources(root, b.img.Bootstrap)
}

func stepLabel(i int, s hcl.Step) string { return fmt.Sprintf("step %d %s", i+1, s.Kind) }

// bootstrapSummary names what the bootstrap builds, with the defaults
// resolved: "debian bookworm amd64 minbase".
func bootstrapSummary(o debootstrap.Options) string {
	variant := o.Variant
	if variant == "" {
		variant = "minbase"
	}
	return fmt.Sprintf("%s %s %s %s", o.Distribution, o.Suite, o.ResolvedArch(), variant)
}
