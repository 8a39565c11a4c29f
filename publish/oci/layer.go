package oci

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/pgzip"

	"github.com/chrootbuild/chrootbuild/pack"
)

// fileLayer is a gzip layer in a file whose digests were computed while it
// was written, so nothing reads it again before the push.
type fileLayer struct {
	path           string
	digest, diffID v1.Hash
	size           int64
}

func (l *fileLayer) Digest() (v1.Hash, error)            { return l.digest, nil }
func (l *fileLayer) DiffID() (v1.Hash, error)            { return l.diffID, nil }
func (l *fileLayer) Compressed() (io.ReadCloser, error)  { return os.Open(l.path) }
func (l *fileLayer) Size() (int64, error)                { return l.size, nil }
func (l *fileLayer) MediaType() (types.MediaType, error) { return types.OCILayer, nil }

func (l *fileLayer) layer() (v1.Layer, error) { return partial.CompressedToLayer(l) }

// buildLayer makes the image's one layer. Without a cache it is written to
// a temporary file removed by the returned cleanup; with one, see
// layerCache.
func buildLayer(ctx context.Context, source, cacheDir string) (v1.Layer, func(), error) {
	var fl *fileLayer
	cleanup := func() {}
	var err error
	if cacheDir != "" {
		fl, err = layerCache(cacheDir).layer(ctx, source)
	} else {
		fl, err = tempLayer(ctx, source)
		if fl != nil {
			cleanup = func() { os.Remove(fl.path) }
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("making the layer from %s: %w", source, err)
	}
	l, err := fl.layer()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return l, cleanup, nil
}

func tempLayer(ctx context.Context, source string) (*fileLayer, error) {
	f, err := os.CreateTemp("", "chrootbuild-layer-*.tar.gz")
	if err != nil {
		return nil, err
	}
	fl, err := writeLayer(ctx, source, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	fl.path = f.Name()
	return fl, nil
}

// writeLayer writes source as a gzip tar to w and returns its digests. A
// folder is walked by pack's deterministic tar writer (sorted names,
// numeric owners, xattrs, hard links, mtimes clamped to SOURCE_DATE_EPOCH);
// a tar is taken as it is, decompressed. Both go through the same gzip
// settings, so the same root always gives the same layer digest and a
// second push finds the layer already in the registry.
func writeLayer(ctx context.Context, source string, w io.Writer) (*fileLayer, error) {
	gzSum, diffSum := sha256.New(), sha256.New()
	n := &countWriter{}
	gw, err := pgzip.NewWriterLevel(io.MultiWriter(w, gzSum, n), gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if err := gw.SetConcurrency(1<<20, 4); err != nil {
		return nil, err
	}
	if err := uncompressedTar(ctx, source, io.MultiWriter(gw, diffSum)); err != nil {
		gw.Close()
		return nil, err
	}
	if err := gw.Close(); err != nil {
		return nil, err
	}
	return &fileLayer{digest: sha(gzSum), diffID: sha(diffSum), size: n.n}, nil
}

// uncompressedTar writes the plain tar of a root folder or of a tar file.
func uncompressedTar(ctx context.Context, source string, w io.Writer) error {
	st, err := os.Stat(source)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return pack.WriteTar(ctx, source, w, pack.TarOptions{Compression: "none"})
	}
	f, err := os.Open(source)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := pack.Decompress(f)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(w, ctxReader{ctx, r})
	return err
}

// diffID hashes the plain tar of source without compressing it: a cheap
// way to know which layer it makes.
func diffID(ctx context.Context, source string) (v1.Hash, error) {
	h := sha256.New()
	if err := uncompressedTar(ctx, source, h); err != nil {
		return v1.Hash{}, err
	}
	return sha(h), nil
}

func sha(h hash.Hash) v1.Hash {
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// ctxReader stops a copy when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
