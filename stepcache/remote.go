package stepcache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Remote is a store shared by many machines (an S3 bucket) that holds
// cache entries as whole objects. Writes are all-or-nothing: an object is
// either absent or complete, so nobody reads a partial one.
type Remote interface {
	// Get opens the object name; ErrRemoteMissing when it is absent.
	Get(ctx context.Context, name string) (io.ReadCloser, error)
	// Exists reports whether the object name is there.
	Exists(ctx context.Context, name string) (bool, error)
	// PutNew stores what body yields as name unless an object of that
	// name exists (ErrRemoteExists): of builders racing on one key, one
	// object wins. Nothing is stored unless body is read to its end
	// without error.
	PutNew(ctx context.Context, name string, body io.Reader) error
	// Delete removes the object name (absent is not an error).
	Delete(ctx context.Context, name string) error
	// String names the store, for messages.
	String() string
}

// Errors a Remote returns for absent and already present objects.
var (
	ErrRemoteMissing = errors.New("no such object in the remote cache")
	ErrRemoteExists  = errors.New("object already in the remote cache")
)

// RemoteMode says what a build may do with the remote cache.
type RemoteMode string

// The modes: a runner that builds untrusted definitions only reads.
const (
	RemoteRead      RemoteMode = "read"
	RemoteWrite     RemoteMode = "write"
	RemoteReadWrite RemoteMode = "readwrite"
)

// ParseRemoteMode checks a --remote-cache-mode value ("" is readwrite).
func ParseRemoteMode(s string) (RemoteMode, error) {
	switch m := RemoteMode(s); m {
	case "":
		return RemoteReadWrite, nil
	case RemoteRead, RemoteWrite, RemoteReadWrite:
		return m, nil
	}
	return "", fmt.Errorf("remote cache mode %q: want read, write or readwrite", s)
}

func (m RemoteMode) reads() bool  { return m == RemoteRead || m == RemoteReadWrite }
func (m RemoteMode) writes() bool { return m == RemoteWrite || m == RemoteReadWrite }

// remote is a Cache's link to its Remote. The first failure to reach it
// turns it off for the rest of the build with one warning: the cache
// speeds a build up and never fails it.
type remote struct {
	store   Remote
	mode    RemoteMode
	version string
	warn    func(string)

	mu       sync.Mutex
	off      bool
	uploads  sync.WaitGroup
	uploadCh chan func()
	frames   chan *frame // to the compressors
	// prefetch holds the outputs fetched in the background, written
	// before the fetches start and only read after.
	prefetch map[Key]*outputFetch
	// stopPrefetch cancels the background fetches and waits for them.
	stopPrefetch func()
	threads      niceThreads // the uploaders'
}

// SetRemote links the cache to store. warn receives the cache's messages
// (one when the remote fails, one per corrupt object); version is the
// chrootbuild version recorded in every manifest.
func (c *Cache) SetRemote(store Remote, mode RemoteMode, version string, warn func(string)) {
	r := &remote{store: store, mode: mode, version: version, warn: warn, uploadCh: make(chan func(), 64),
		prefetch: map[Key]*outputFetch{}, frames: make(chan *frame, uploaders*framesAhead)}
	for range uploaders {
		go r.uploader()
	}
	for range compressors() {
		go r.compressor()
	}
	c.remote = r
}

// uploaders is how many entries are packed and sent at once: while the
// build runs they take only the time it leaves idle (see niceThreads);
// when it ends, its last outputs are packed side by side, each on every
// core (see frameWriter).
const uploaders = 2

// uploader packs and sends entries one at a time, on a thread of its own
// with a low priority, so that uploads overlap the steps that follow
// without slowing them down; the compressors, as nice, compress them.
func (r *remote) uploader() {
	r.threads.lower()
	for f := range r.uploadCh {
		f()
		r.uploads.Done()
	}
}

// usable reports whether the remote may still be used for what is asked.
func (r *remote) usable(write bool) bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.off {
		return false
	}
	if write {
		return r.mode.writes()
	}
	return r.mode.reads()
}

// RemoteWrites reports whether the cache uploads to a remote cache that
// is still usable.
func (c *Cache) RemoteWrites() bool { return c.remote.usable(true) }

// fail turns the remote off after a failure to reach it.
func (r *remote) fail(what string, err error) {
	r.mu.Lock()
	first := !r.off
	r.off = true
	r.mu.Unlock()
	if first {
		r.warn(fmt.Sprintf("remote cache %s: %s: %v; building locally without it", r.store, what, err))
	}
}

// queue runs f in the background uploader.
func (r *remote) queue(f func()) {
	r.uploads.Add(1)
	r.uploadCh <- f
}

// FlushRemote stops the background fetches, gives the uploaders the
// build's priority back and waits for the uploads to end, or for ctx.
func (c *Cache) FlushRemote(ctx context.Context) {
	if c.remote == nil {
		return
	}
	if c.remote.stopPrefetch != nil {
		c.remote.stopPrefetch() // a build that failed before its outputs
	}
	c.remote.threads.restore()
	done := make(chan struct{})
	go func() { c.remote.uploads.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		c.remote.fail("waiting for uploads", ctx.Err())
	}
}

// objectSuffix names the objects' format, an S2 tar; objects of the
// zstd tars of earlier versions end in .tar.zst (no key of this version
// names them: keys include the executable).
const objectSuffix = ".tar.s2"

func layerObject(k Key) string  { return "layers/" + string(k) + objectSuffix }
func outputObject(k Key) string { return "outputs/" + string(k) + objectSuffix }

// isRemoteDown tells a failure to reach the store from an absent object.
func isRemoteDown(err error) bool {
	return err != nil && !errors.Is(err, ErrRemoteMissing) && !errors.Is(err, ErrRemoteExists)
}

// objectPrefixes are the folders of a remote cache, for CleanRemote.
var objectPrefixes = []string{"layers/", "outputs/"}

// RemoteLister is a Remote that can list its objects, for CleanRemote.
type RemoteLister interface {
	Remote
	List(ctx context.Context, prefix string) ([]string, error)
}

// CleanRemote deletes every object of the remote cache and returns how
// many it deleted.
func CleanRemote(ctx context.Context, store RemoteLister) (int, error) {
	n := 0
	for _, p := range objectPrefixes {
		names, err := store.List(ctx, p)
		if err != nil {
			return n, fmt.Errorf("listing remote cache %s: %w", store, err)
		}
		for _, name := range names {
			if !strings.HasSuffix(name, objectSuffix) && !strings.HasSuffix(name, ".tar.zst") {
				continue
			}
			if err := store.Delete(ctx, name); err != nil {
				return n, fmt.Errorf("deleting %s from remote cache %s: %w", name, store, err)
			}
			n++
		}
	}
	return n, nil
}
