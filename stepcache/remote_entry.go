package stepcache

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/klauspost/compress/s2"
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

// uploadOutput queues the upload of the output file kept under k, unless
// it is marked as not worth a remote object.
func (c *Cache) uploadOutput(k Key, sum string) {
	if !c.remote.usable(true) {
		return
	}
	file := c.blobPath(k)
	if _, err := os.Stat(file + localMark); err == nil {
		return
	}
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
	// Packed on this thread and the compressors' (low-priority), sent by
	// another as it comes.
	pr, pw := io.Pipe()
	sent := make(chan error, 1)
	go func() {
		err := c.remote.store.PutNew(ctx, name, pr)
		pr.CloseWithError(errUploadStopped) // a packer still writing stops
		sent <- err
	}()
	packErr := writeObject(pw, c.remote.frames, man, body)
	pw.CloseWithError(packErr) // nil: the end of the object
	putErr := <-sent
	switch {
	case packErr != nil && !errors.Is(packErr, errUploadStopped):
		c.remote.warn(fmt.Sprintf("remote cache: packing %s: %v", name, packErr))
	case isRemoteDown(putErr):
		c.remote.fail("uploading "+name, putErr)
	}
}

// errUploadStopped tells a packer that the upload it feeds has ended.
var errUploadStopped = errors.New("upload stopped")

// writeObject writes to w the object holding man and then what body
// writes, as an S2 tar whose frames the compressors reading jobs make.
func writeObject(w io.Writer, jobs chan<- *frame, man manifest, body func(*tar.Writer) error) error {
	zw := newFrameWriter(w, jobs)
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
	zr := s2.NewReader(body, s2.ReaderMaxBlockSize(frameSize))
	closer := func() { body.Close() }
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
