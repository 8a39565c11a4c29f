package s3

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
)

// digest hashes a stream as the uploader reads it: the whole, and each part
// of partSize bytes, so that both the per-part checksums and the composite
// checksum S3 reports for a multipart upload can be checked against what was
// read from disk.
type digest struct {
	r        io.Reader
	partSize int64
	whole    hash.Hash
	part     hash.Hash
	inPart   int64
	parts    [][]byte
	read     int64
}

// readHook, when set by a test, sees the running total of bytes read.
var readHook func(total int64)

func newDigest(r io.Reader, partSize int64) *digest {
	return &digest{r: r, partSize: partSize, whole: sha256.New(), part: sha256.New()}
}

// Read reads from the underlying reader and hashes what it got.
func (d *digest) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.read += int64(n)
	if readHook != nil {
		readHook(d.read)
	}
	b := p[:n]
	d.whole.Write(b)
	for len(b) > 0 {
		k := min(int64(len(b)), d.partSize-d.inPart)
		d.part.Write(b[:k])
		d.inPart += k
		b = b[k:]
		if d.inPart == d.partSize {
			d.endPart()
		}
	}
	return n, err
}

func (d *digest) endPart() {
	d.parts = append(d.parts, d.part.Sum(nil))
	d.part.Reset()
	d.inPart = 0
}

// finish closes the last, short part.
func (d *digest) finish() {
	if d.inPart > 0 {
		d.endPart()
	}
}

// hex is the SHA-256 of the whole stream, as sha256sum prints it.
func (d *digest) hex() string { return hex.EncodeToString(d.whole.Sum(nil)) }

// full is the SHA-256 of the whole stream as S3 headers carry it.
func (d *digest) full() string { return base64.StdEncoding.EncodeToString(d.whole.Sum(nil)) }

// partSum is the S3 form of part i's SHA-256 (0-based).
func (d *digest) partSum(i int) string { return base64.StdEncoding.EncodeToString(d.parts[i]) }

// composite is the checksum S3 gives a multipart object: the SHA-256 of the
// parts' binary SHA-256s, then a dash and the number of parts.
func (d *digest) composite() string {
	h := sha256.New()
	for _, p := range d.parts {
		h.Write(p)
	}
	return fmt.Sprintf("%s-%d", base64.StdEncoding.EncodeToString(h.Sum(nil)), len(d.parts))
}
