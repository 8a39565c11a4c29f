// Package builder runs an image definition: it checks every step and output,
// bootstraps the base (or restores it from the step cache), applies each
// step on an overlay of the layers before it, and writes the outputs. A
// rebuild restores the longest cached prefix and runs only the rest; a
// build interrupted at step N resumes from the snapshot before step N.
// Build returns a Result, which Boot, Publish and Pipeline (the whole
// build → boot → publish sequence of `chrootbuild build`) read.
//
// Build must be called inside a private mount namespace (mountns.Enter):
// every overlay and chroot mount then vanishes with the process.
package builder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/internal/epoch"
	"github.com/chrootbuild/chrootbuild/internal/redact"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// Options say where a build reads and writes.
type Options struct {
	OutDir    string // relative output paths are relative to it
	CacheDir  string // cache folder; default cachedir.Default
	StepCache string // step cache; default the cache folder's; "off" disables reuse
	// StepCacheLimit is the step cache's size limit in bytes (0: none).
	StepCacheLimit int64
	// RemoteCache is the shared step cache (s3://BUCKET/PREFIX/), and
	// RemoteCacheMode what the build may do with it (read, write,
	// readwrite; "" is readwrite).
	RemoteCache     string
	RemoteCacheMode string
	Log             io.Writer // human-readable progress
	JSON            bool      // write the event stream as JSON lines to Log
}

func (o *Options) defaults() {
	o.CacheDir = string(cachedir.Or(o.CacheDir))
	if o.StepCache == "" {
		o.StepCache = cachedir.Dir(o.CacheDir).Steps()
	}
	if o.OutDir == "" {
		o.OutDir = "."
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Build builds img and returns what it produced, also saved in the output
// folder (ResultName). On error no output exists under its final name and
// no mount is left behind. The image's sensitive values are scrubbed from
// the events and from the error.
func Build(ctx context.Context, img *hcl.Image, opt Options) (*Result, error) {
	sc := redact.New(img.Secrets...)
	res, err := build(ctx, img, opt, sc)
	return res, sc.Error(err)
}

func build(ctx context.Context, img *hcl.Image, opt Options, sc *redact.Scrubber) (*Result, error) {
	opt.defaults()
	if abs, err := filepath.Abs(opt.OutDir); err == nil {
		opt.OutDir = abs
	}
	ev := newEvents(opt.Log, opt.JSON, sc)
	if err := checkAll(img); err != nil {
		return nil, err
	}
	if _, _, err := epoch.FromEnv(); err != nil {
		return nil, err // it stamps every output: refuse it before building
	}
	b, err := newBuilder(img, opt, ev)
	if err != nil {
		return nil, err
	}
	defer b.close()
	if err := b.linkRemote(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	if err := b.run(ctx); err != nil {
		ev.failed(err)
		return nil, err
	}
	res, err := newResult(img, opt.OutDir)
	if err == nil {
		err = res.save()
	}
	if err != nil {
		ev.failed(err)
		return nil, err
	}
	ev.summary.Total = time.Since(start)
	ev.done()
	res.Summary = ev.summary
	return res, nil
}

// checkAll runs every step's and output's Check before anything is built.
func checkAll(img *hcl.Image) error {
	var errs []error
	for i, s := range img.Steps {
		if err := s.Step.Check(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", stepName(i, s), err))
		}
	}
	for _, o := range img.Outputs {
		if err := o.Output.Check(); err != nil {
			errs = append(errs, fmt.Errorf("output %s (%s): %w", o.Kind, pos(o.Range), err))
		}
	}
	return errors.Join(errs...)
}

func stepName(i int, s hcl.Step) string {
	return fmt.Sprintf("step %d (%s, %s)", i+1, s.Kind, pos(s.Range))
}

// builder holds one build's state.
type builder struct {
	img   *hcl.Image
	opt   Options
	ev    *events
	cache *stepcache.Cache
	work  string // this build's scratch folder
	keys  []stepcache.Key
}

func newBuilder(img *hcl.Image, opt Options, ev *events) (*builder, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("building needs root (it bootstraps and enters the image root)")
	}
	dir := opt.StepCache
	if dir == "off" {
		if err := os.MkdirAll(opt.CacheDir, 0o755); err != nil {
			return nil, err
		}
		d, err := os.MkdirTemp(opt.CacheDir, "nocache-")
		if err != nil {
			return nil, err
		}
		dir = d
	}
	c, err := stepcache.OpenNotify(dir, opt.StepCacheLimit, ev.note)
	if err != nil {
		return nil, err
	}
	if opt.StepCache == "off" {
		c.BuildInPlace()
	}
	ev.note(fmt.Sprintf("step cache %s: %s", opt.StepCache, snapshotModes[c.Mode()]))
	work, err := os.MkdirTemp(c.WorkDir(), "build-")
	if err != nil {
		return nil, fmt.Errorf("creating build folder: %w", err)
	}
	return &builder{img: img, opt: opt, ev: ev, cache: c, work: work}, nil
}

// snapshotModes say how the step cache keeps layers, for the build's
// opening note.
var snapshotModes = map[string]string{
	stepcache.ModeOverlay: "overlayfs layers",
	stepcache.ModeCopy:    "copied snapshots (overlayfs cannot mount here)",
	stepcache.ModeDirect:  "off, building in one folder without overlays",
}

func (b *builder) close() {
	b.flushRemote()
	os.RemoveAll(b.work)
	b.cache.Close()
	if b.opt.StepCache == "off" {
		os.RemoveAll(b.cache.Dir())
	}
}
