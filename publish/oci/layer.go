package oci

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/klauspost/pgzip"

	"github.com/chrootbuild/chrootbuild/pack"
)

// buildLayer makes the image's one layer as a gzip tar in a temporary file,
// so that its digests are computed once and the registry reads a file.
// A folder is walked by pack's deterministic tar writer (sorted names,
// numeric owners, xattrs, hard links, mtimes clamped to SOURCE_DATE_EPOCH);
// a tar is recompressed as is. Both are compressed with the same gzip
// settings, so the same root gives the same layer digest and a second push
// finds the layer already there.
func buildLayer(ctx context.Context, source string) (v1.Layer, func(), error) {
	tmp, err := os.CreateTemp("", "chrootbuild-layer-*.tar.gz")
	if err != nil {
		return nil, nil, fmt.Errorf("making the layer: %w", err)
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if err := writeLayer(ctx, source, tmp); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("making the layer from %s: %w", source, err)
	}
	layer, err := tarball.LayerFromFile(tmp.Name(), tarball.WithMediaType(types.OCILayer))
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("making the layer from %s: %w", source, err)
	}
	return layer, cleanup, nil
}

func writeLayer(ctx context.Context, source string, w io.Writer) error {
	st, err := os.Stat(source)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return pack.WriteTar(ctx, source, w, pack.TarOptions{Compression: "gzip"})
	}
	f, err := os.Open(source)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := decompress(f)
	if err != nil {
		return err
	}
	defer r.Close()
	gw, err := newGzip(w)
	if err != nil {
		return err
	}
	if _, err := io.Copy(gw, r); err != nil {
		gw.Close()
		return err
	}
	return gw.Close()
}

// newGzip is a parallel gzip writer with pack's settings (default level,
// 1 MiB blocks): its output depends only on its input.
func newGzip(w io.Writer) (*pgzip.Writer, error) {
	gw, err := pgzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	return gw, gw.SetConcurrency(1<<20, 4)
}
