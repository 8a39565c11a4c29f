package imagediff

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/chrootbuild/chrootbuild/pack"
)

// Open reads the input at path: a folder is an image root; a file is a
// tar (plain, gzip, zstd or xz) when it holds one, else a package
// manifest (NAME<TAB>VERSION lines, or an SPDX JSON document).
func Open(ctx context.Context, path string) (*Image, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if fi.IsDir() {
		return openRoot(ctx, path)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is neither a folder nor a file: %s", path, expected)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	r, err := pack.Decompress(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<20)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	img := &Image{Path: path}
	if isTar(head) {
		img.Kind = KindTar
		err = img.scanTar(ctx, tar.NewReader(br))
	} else {
		img.Kind = KindManifest
		err = img.readManifest(br)
	}
	if err != nil {
		return nil, err
	}
	return img, nil
}

// expected says what Open takes.
const expected = "expected an image root folder, a tar (plain, gzip, zstd or xz) or a package manifest (NAME<TAB>VERSION lines or SPDX JSON)"

// isTar reports whether head starts with a tar header: a POSIX or GNU
// magic where the header has it, and a valid header checksum.
func isTar(head []byte) bool {
	if len(head) < 512 {
		return false
	}
	magic := head[257:263]
	if !bytes.Equal(magic, []byte("ustar\x00")) && !bytes.Equal(magic, []byte("ustar ")) {
		return false
	}
	_, err := tar.NewReader(bytes.NewReader(head)).Next()
	return err == nil || err == io.ErrUnexpectedEOF || err == io.EOF
}
