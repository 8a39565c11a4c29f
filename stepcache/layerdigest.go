package stepcache

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"strings"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// streamDigest computes, while a layer stream is restored, the Digest the
// restored folder has, so that a fetched layer is checked without reading
// it again. Every entry's record comes from the restored entry itself
// (Lstat and xattrs, as Digest reads them), except a regular file's
// content, hashed as it is written: its record, which precedes the
// content, is predicted from the header and checked against the file once
// its owner, mode and xattrs are set. Entries must come in Digest's order,
// so that a stream whose digest matches restores a folder whose Digest
// matches too.
type streamDigest struct {
	h    hash.Hash
	size int64
	last []string // the previous entry's name, by components
	head bytes.Buffer
}

func newStreamDigest() *streamDigest { return &streamDigest{h: sha256.New()} }

// sum returns the digest and the bytes of file content so far.
func (d *streamDigest) sum() (string, int64) { return hex.EncodeToString(d.h.Sum(nil)), d.size }

// follows checks that the clean name n comes after the previous entry in
// Digest's order (WalkDir's: a folder, then its entries sorted by name).
func (d *streamDigest) follows(n string) error {
	var cur []string
	if n != "." {
		cur = strings.Split(n, "/")
	}
	if d.last != nil && !walkBefore(d.last, cur) {
		return fmt.Errorf("entry %q is out of order (after %q)", n, strings.Join(d.last, "/"))
	}
	if cur == nil {
		cur = []string{} // "." seen: not nil
	}
	d.last = cur
	return nil
}

// walkBefore reports whether the path a comes strictly before b in a
// walk that visits a folder before its entries, sorted by name.
func walkBefore(a, b []string) bool {
	for i := range a {
		if i == len(b) {
			return false // b is a's folder
		}
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// fileHead writes the record a regular file restored from hdr will have
// (see writeRecord) and keeps it, for checkFile.
func (d *streamDigest) fileHead(n string, hdr *tar.Header) {
	d.head.Reset()
	mode := fs.FileMode(hdr.Mode & 0o777)
	for bit, m := range map[int64]fs.FileMode{0o4000: fs.ModeSetuid, 0o2000: fs.ModeSetgid, 0o1000: fs.ModeSticky} {
		if hdr.Mode&bit != 0 {
			mode |= m
		}
	}
	fmt.Fprintf(&d.head, "%q %o %d:%d %d\n", n, uint32(mode), hdr.Uid, hdr.Gid, 0)
	for _, name := range layerXattrs {
		if v, ok := hdr.PAXRecords[paxXattr+name]; ok && len(v) <= xattrMax {
			fmt.Fprintf(&d.head, "x %s=%x\n", name, v)
		}
	}
	d.h.Write(d.head.Bytes())
}

// checkFile checks that the restored file p has the record fileHead
// predicted, and ends the record with its size.
func (d *streamDigest) checkFile(p, n string, size int64) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	var got bytes.Buffer
	if err := writeRecord(&got, p, n, fi); err != nil {
		return err
	}
	if !bytes.Equal(got.Bytes(), d.head.Bytes()) {
		return fmt.Errorf("restored as %q, not as its header says (%q)", got.String(), d.head.String())
	}
	d.size += size
	writeSize(d.h, size)
	return nil
}

// entry records the restored entry p other than a regular file written
// from the stream; a hard link's content is read again, as Digest does.
func (d *streamDigest) entry(p, n string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if err := writeRecord(d.h, p, n, fi); err != nil {
		return err
	}
	if fi.Mode().IsRegular() {
		size, err := filehash.Write(d.h, p)
		if err != nil {
			return err
		}
		d.size += size
		writeSize(d.h, size)
	}
	return nil
}
