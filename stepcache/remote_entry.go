package stepcache

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
	"github.com/klauspost/compress/zstd"
)

// manifest opens every remote object: what the entry is and the digest its
// content must have. Nothing of a remote object is used before its
// content matches the digest.
type manifest struct {
	Kind    string `json:"kind"` // "layer" or "output"
	Key     Key    `json:"key"`
	Parent  Key    `json:"parent,omitempty"`
	Chain   []Key  `json:"chain,omitempty"` // base first, the entry last
	Label   string `json:"label,omitempty"`
	Digest  string `json:"digest"` // Digest of a layer, SHA256 of an output
	Size    int64  `json:"size"`
	Version string `json:"version"`
}

const (
	manifestName = ".chrootbuild-manifest.json"
	outputName   = "data"
	// remoteTimeout bounds one object's transfer, so that a slow remote
	// cannot hold a build longer than building the entry would.
	remoteTimeout = 5 * time.Minute
)

// uploadLayer queues the upload of the committed layer k.
func (c *Cache) uploadLayer(k Key, m meta) {
	if !c.remote.usable(true) {
		return
	}
	chain, err := c.Chain(k)
	if err != nil {
		return
	}
	man := manifest{Kind: "layer", Key: k, Parent: m.Parent, Chain: chain, Label: m.Label,
		Digest: m.Digest, Size: m.Size, Version: c.remote.version}
	dir := c.LayerDir(k)
	c.remote.queue(func() {
		c.upload(layerObject(k), man, func(tw *tar.Writer) error { return writeLayerTar(tw, dir) })
	})
}

// uploadOutput queues the upload of the output file kept under k.
func (c *Cache) uploadOutput(k Key, sum string) {
	if !c.remote.usable(true) {
		return
	}
	file := c.blobPath(k)
	fi, err := os.Stat(file)
	if err != nil {
		return
	}
	man := manifest{Kind: "output", Key: k, Digest: sum, Size: fi.Size(), Version: c.remote.version}
	c.remote.queue(func() {
		c.upload(outputObject(k), man, func(tw *tar.Writer) error { return writeFileEntry(tw, file, fi.Size()) })
	})
}

// upload writes the object (manifest, then body) to a scratch file and
// stores it unless the key is already there: the first builder wins.
func (c *Cache) upload(name string, man manifest, body func(*tar.Writer) error) {
	if !c.remote.usable(true) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	if there, err := c.remote.store.Exists(ctx, name); err != nil || there {
		if err != nil {
			c.remote.fail("looking for "+name, err)
		}
		return
	}
	f, err := os.CreateTemp(c.WorkDir(), "upload-")
	if err != nil {
		return
	}
	defer os.Remove(f.Name())
	err = writeObject(f, man, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.remote.warn(fmt.Sprintf("remote cache: packing %s: %v", name, err))
		return
	}
	if err := c.remote.store.PutNew(ctx, name, f.Name()); isRemoteDown(err) {
		c.remote.fail("uploading "+name, err)
	}
}

func writeObject(w io.Writer, man manifest, body func(*tar.Writer) error) error {
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderConcurrency(runtime.NumCPU()))
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	b, _ := json.Marshal(man)
	hdr := &tar.Header{Name: manifestName, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := tw.Write(b); err != nil {
		return err
	}
	if err := body(tw); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func writeFileEntry(tw *tar.Writer, file string, size int64) error {
	hdr := &tar.Header{Name: outputName, Mode: 0o644, Size: size, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	return copyFileTo(tw, file, make([]byte, 1<<20))
}

// openObject fetches name and reads its manifest. The caller reads the
// rest from the returned tar reader and closes the closer.
func (c *Cache) openObject(ctx context.Context, name string) (*manifest, *tar.Reader, func(), error) {
	body, err := c.remote.store.Get(ctx, name)
	if err != nil {
		return nil, nil, nil, err
	}
	zr, err := zstd.NewReader(body, zstd.WithDecoderConcurrency(runtime.NumCPU()))
	if err != nil {
		body.Close()
		return nil, nil, nil, errCorrupt{err}
	}
	closer := func() { zr.Close(); body.Close() }
	tr := tar.NewReader(zr)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != manifestName || hdr.Size > 1<<20 {
		closer()
		return nil, nil, nil, errCorrupt{fmt.Errorf("no manifest first (%v)", err)}
	}
	var m manifest
	if err := json.NewDecoder(tr).Decode(&m); err != nil {
		closer()
		return nil, nil, nil, errCorrupt{fmt.Errorf("reading manifest: %w", err)}
	}
	return &m, tr, closer, nil
}

// errCorrupt marks a remote object that was fetched but is not what its
// name promises.
type errCorrupt struct{ err error }

func (e errCorrupt) Error() string { return e.err.Error() }
func (e errCorrupt) Unwrap() error { return e.err }

// FetchRemote restores from the remote cache the layers of keys (base
// first) that the local cache lacks, up to the first one the remote lacks
// too, verifying each layer's digest before it is used. It returns how
// many leading keys are now present locally.
func (c *Cache) FetchRemote(ctx context.Context, keys []Key) int {
	var parent Key
	for i, k := range keys {
		if c.Has(k) {
			// A layer this machine has and the remote may lack: offer it
			// (the upload asks first whether the remote has it).
			if m, err := c.readMeta(k); err == nil {
				c.uploadLayer(k, *m)
			}
		} else {
			if !c.remote.usable(false) {
				return i
			}
			if err := c.fetchLayer(ctx, k, parent); err != nil {
				c.remoteProblem(layerObject(k), err)
				return i
			}
		}
		parent = k
	}
	return len(keys)
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

func (c *Cache) fetchLayer(ctx context.Context, k, parent Key) error {
	ctx, cancel := context.WithTimeout(ctx, remoteTimeout)
	defer cancel()
	m, tr, closer, err := c.openObject(ctx, layerObject(k))
	if err != nil {
		return err
	}
	defer closer()
	if m.Kind != "layer" || m.Key != k || m.Parent != parent {
		return errCorrupt{fmt.Errorf("manifest names %s %s on %q", m.Kind, m.Key.Short(), m.Parent.Short())}
	}
	tx, err := c.Begin(k, parent, m.Label)
	if err != nil {
		return err
	}
	tx.expect, tx.fromRemote = m.Digest, true
	if err := readLayerTar(tr, tx.Dir()); err != nil {
		tx.Abort()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errCorrupt{err}
	}
	if err := tx.Commit(); err != nil {
		return errCorrupt{err}
	}
	return nil
}

// fetchOutput restores the output kept under k from the remote into the
// local cache, checking its SHA256.
func (c *Cache) fetchOutput(k Key) {
	if !c.remote.usable(false) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	if err := c.fetchOutputFile(ctx, k); err != nil {
		c.remoteProblem(outputObject(k), err)
	}
}

func (c *Cache) fetchOutputFile(ctx context.Context, k Key) error {
	m, tr, closer, err := c.openObject(ctx, outputObject(k))
	if err != nil {
		return err
	}
	defer closer()
	hdr, err := tr.Next()
	if err != nil || m.Kind != "output" || m.Key != k || hdr.Name != outputName {
		return errCorrupt{fmt.Errorf("not the output %s", k.Short())}
	}
	if err := os.MkdirAll(filepath.Join(c.dir, blobsDir), 0o700); err != nil {
		return err
	}
	tmp := c.blobPath(k) + tmpMark + "remote"
	defer os.Remove(tmp)
	if err := writeNew(tmp, tr); err != nil {
		return errCorrupt{err}
	}
	if got, err := filehash.Sum(tmp); err != nil || got != m.Digest {
		return errCorrupt{fmt.Errorf("content's SHA256 is not the manifest's")}
	}
	if err := os.Rename(tmp, c.blobPath(k)); err != nil {
		return err
	}
	return writeSync(c.blobPath(k)+".sha256", []byte(m.Digest))
}
