package builder

import (
	"context"
	"fmt"
	"time"

	"github.com/chrootbuild/chrootbuild/publish/s3"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// RemoteCacheEnv names the remote cache when --remote-cache is not given.
const RemoteCacheEnv = "CHROOTBUILD_REMOTE_CACHE"

// remoteFlushTimeout bounds the wait for uploads at the end of a build.
const remoteFlushTimeout = 10 * time.Minute

// linkRemote connects the build's step cache to the remote cache that
// opt names, if any. It fails only on a malformed URL or mode: an
// unreachable remote is a warning later, never an error.
func (b *builder) linkRemote(ctx context.Context) error {
	if b.opt.RemoteCache == "" {
		return nil
	}
	mode, err := stepcache.ParseRemoteMode(b.opt.RemoteCacheMode)
	if err != nil {
		return err
	}
	if b.opt.StepCache == "off" {
		b.ev.warn("--step-cache off: the remote cache is not used")
		return nil
	}
	store, err := s3.NewRemoteCache(ctx, b.opt.RemoteCache, "")
	if err != nil {
		return err
	}
	b.cache.SetRemote(store, mode, Version, b.ev.warn)
	b.ev.note(fmt.Sprintf("remote cache %s (%s)", store, mode))
	return nil
}

// fetchRemote restores from the remote cache the layers of b.keys that the
// local cache lacks, as far as the remote has them, and the kept outputs.
func (b *builder) fetchRemote(ctx context.Context) {
	var outs []stepcache.Key // fetched in the background meanwhile
	for _, o := range b.img.Outputs {
		if _, k, ok := b.outputFile(o); ok {
			outs = append(outs, k)
		}
	}
	b.cache.PrefetchFiles(outs)
	n := b.cache.FetchRemote(ctx, b.keys)
	if b.opt.RemoteCache != "" && n > 0 {
		b.ev.note(fmt.Sprintf("step cache holds %d of %d layers", n, len(b.keys)))
	}
}

// flushRemote waits for the uploads the build queued.
func (b *builder) flushRemote() {
	ctx, cancel := context.WithTimeout(context.Background(), remoteFlushTimeout)
	defer cancel()
	b.cache.FlushRemote(ctx)
}

// Version is chrootbuild's version, recorded in the remote cache's
// manifests; the CLI sets it.
var Version = "dev"
