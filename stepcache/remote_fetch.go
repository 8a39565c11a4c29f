package stepcache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// fetchers bounds the layers fetched at once: the small layers of a chain
// come in while the bootstrap layer, most of its bytes, is unpacked.
const fetchers = 4

// layerFetch is one layer being fetched: its entry, unpacked and not yet
// committed, or what went wrong.
type layerFetch struct {
	tx     *Txn
	err    error
	cancel context.CancelFunc
	done   chan struct{}
}

// FetchRemote restores from the remote cache the layers of keys (base
// first) that the local cache lacks, up to the first one the remote lacks
// too, verifying each layer's digest before it is used. It returns how
// many leading keys are now present locally. Layers are fetched and
// unpacked a few at a time, and committed in the chain's order.
func (c *Cache) FetchRemote(ctx context.Context, keys []Key) int {
	fetches := c.startFetches(ctx, keys)
	n := len(keys)
	for i, k := range keys {
		f := fetches[i]
		if f == nil {
			if n == len(keys) && !c.Has(k) {
				n = i // the remote was off before this layer
			}
			continue
		}
		<-f.done
		f.cancel()
		if n < len(keys) { // a layer below failed: this one is useless
			if f.tx != nil {
				f.tx.Abort()
			}
			continue
		}
		if f.err == nil {
			if err := f.tx.Commit(); err != nil {
				f.err = errCorrupt{err}
			}
		}
		if f.err != nil {
			c.remoteProblem(layerObject(k), f.err)
			n = i
			for _, g := range fetches[i+1:] {
				if g != nil {
					g.cancel()
				}
			}
		}
	}
	return n
}

// startFetches starts fetching every layer of keys the local cache lacks,
// and offers the remote the ones it has (the upload asks first whether
// the remote has it, so a warm machine fills an empty bucket).
func (c *Cache) startFetches(ctx context.Context, keys []Key) []*layerFetch {
	fetches := make([]*layerFetch, len(keys))
	sem := make(chan struct{}, fetchers)
	for i, k := range keys {
		if c.Has(k) {
			if m, err := c.readMeta(k); err == nil {
				c.uploadLayer(k, *m)
			}
			continue
		}
		if !c.remote.usable(false) {
			break
		}
		var parent Key
		if i > 0 {
			parent = keys[i-1]
		}
		fctx, cancel := context.WithCancel(ctx)
		f := &layerFetch{cancel: cancel, done: make(chan struct{})}
		fetches[i] = f
		go func() {
			defer close(f.done)
			sem <- struct{}{}
			defer func() { <-sem }()
			f.tx, f.err = c.fetchLayer(fctx, k, parent)
		}()
	}
	return fetches
}

// remoteProblem reports what went wrong with one object: a corrupt object
// is reported and deleted (a writer replaces it); an unreachable remote is
// turned off; an absent object is no problem.
func (c *Cache) remoteProblem(name string, err error) {
	var bad errCorrupt
	switch {
	case errors.As(err, &bad):
		c.remote.warn(fmt.Sprintf("remote cache %s: %s is corrupt (%v); building it again", c.remote.store, name, bad.err))
		if c.remote.usable(true) {
			ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
			defer cancel()
			c.remote.store.Delete(ctx, name)
		}
	case isRemoteDown(err):
		c.remote.fail("fetching "+name, err)
	}
}

// fetchLayer fetches the layer k into a new entry and returns it
// uncommitted, with the digest computed as it came in: Commit checks it.
func (c *Cache) fetchLayer(ctx context.Context, k, parent Key) (*Txn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, remoteTimeout)
	defer cancel()
	m, tr, closer, err := c.openObject(ctx, layerObject(k))
	if err != nil {
		return nil, err
	}
	defer closer()
	if m.Kind != "layer" || m.Key != k || m.Parent != parent {
		return nil, errCorrupt{fmt.Errorf("manifest names %s %s on %q", m.Kind, m.Key.Short(), m.Parent.Short())}
	}
	tx, err := c.Begin(k, parent, m.Label)
	if err != nil {
		return nil, err
	}
	tx.expect, tx.fromRemote = m.Digest, true
	if tx.digest, tx.size, err = readLayerTar(tr, tx.Dir()); err != nil {
		tx.Abort()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errCorrupt{err}
	}
	return tx, nil
}

// outputFetch is a kept output being fetched in the background; sum is
// its SHA256 once it is in the local cache, checked.
type outputFetch struct {
	sum  string
	done chan struct{}
}

// PrefetchFiles starts fetching from the remote cache, in the background
// and one after another, the kept outputs of keys that the local cache
// lacks, so that they come in while the layers do. GetFile waits for them.
// Call it before FetchRemote, from the goroutine that calls GetFile.
func (c *Cache) PrefetchFiles(keys []Key) {
	if !c.remote.usable(false) {
		return
	}
	var todo []Key
	var fetches []*outputFetch
	for _, k := range keys {
		if _, err := os.Stat(c.blobPath(k) + ".sha256"); err != nil && c.remote.prefetch[k] == nil {
			f := &outputFetch{done: make(chan struct{})}
			c.remote.prefetch[k] = f
			todo, fetches = append(todo, k), append(fetches, f)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.remote.stopPrefetch = func() {
		cancel()
		for _, f := range fetches {
			<-f.done
		}
	}
	go func() {
		for i, k := range todo {
			fetches[i].sum = c.fetchOutput(ctx, k)
			close(fetches[i].done)
		}
	}()
}

// fetchedFile waits for the background fetch of the output k, if there is
// one, and returns its checked SHA256 ("" when there was none or it
// failed). Without one, it fetches the output itself when the local cache
// lacks it.
func (c *Cache) fetchedFile(k Key) string {
	if c.remote == nil {
		return ""
	}
	if f := c.remote.prefetch[k]; f != nil {
		<-f.done
		return f.sum
	}
	if _, err := os.Stat(c.blobPath(k) + ".sha256"); err != nil {
		return c.fetchOutput(context.Background(), k)
	}
	return ""
}

// fetchOutput restores the output kept under k from the remote into the
// local cache, checking its SHA256, which it returns ("" when it did not).
func (c *Cache) fetchOutput(ctx context.Context, k Key) string {
	if !c.remote.usable(false) || ctx.Err() != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, remoteTimeout)
	defer cancel()
	sum, err := c.fetchOutputFile(ctx, k)
	if err != nil && ctx.Err() == nil {
		c.remoteProblem(outputObject(k), err)
		return ""
	}
	return sum
}

func (c *Cache) fetchOutputFile(ctx context.Context, k Key) (string, error) {
	m, tr, closer, err := c.openObject(ctx, outputObject(k))
	if err != nil {
		return "", err
	}
	defer closer()
	hdr, err := tr.Next()
	if err != nil || m.Kind != "output" || m.Key != k || hdr.Name != outputName {
		return "", errCorrupt{fmt.Errorf("not the output %s", k.Short())}
	}
	if err := os.MkdirAll(filepath.Join(c.dir, blobsDir), 0o700); err != nil {
		return "", err
	}
	tmp := c.blobPath(k) + tmpMark + "remote"
	defer os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644) // as a written output
	if err != nil {
		return "", err
	}
	sum, err := filehash.Copy(f, tr)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", errCorrupt{err}
	}
	if sum != m.Digest {
		return "", errCorrupt{fmt.Errorf("content's SHA256 is not the manifest's")}
	}
	if err := os.Rename(tmp, c.blobPath(k)); err != nil {
		return "", err
	}
	return sum, writeSync(c.blobPath(k)+".sha256", []byte(sum))
}
