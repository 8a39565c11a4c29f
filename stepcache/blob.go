package stepcache

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// Output files are kept too (hard links when the output folder is on the
// same filesystem), so that a rebuild with nothing changed does not pack
// again. Only the newest keepBlobs are kept.
const (
	blobsDir  = "outputs"
	keepBlobs = 16
)

func (c *Cache) blobPath(k Key) string { return filepath.Join(c.dir, blobsDir, string(k)) }

// localMark names, next to a kept output, the mark that it is not worth a
// remote object (see WorthFetching): its re-offers to the remote skip it.
const localMark = ".local"

// The remote cache holds an output only when fetching it beats packing it
// again from the layers, which a machine that restores the output's chain
// has: an uncompressed tar or squashfs of a root packs at several hundred
// MB/s, faster than its object (about half its size) comes from an S3
// bucket, while a compressed squashfs or a large ext4 image takes longer.
const (
	// smallOutput is the size up to which an output is always worth an
	// object: one request, whatever it took to pack.
	smallOutput = 32 << 20
	// outputFetchRate is the rate, in bytes of output per second, at
	// which an output is assumed to be restored from a bucket: a
	// conservative 128 MiB/s, where one S3 stream of about 100 MB/s
	// restores twice that of an output that compresses by half.
	outputFetchRate = 128 << 20
)

// WorthFetching reports whether an output of size bytes that took packed
// to pack is worth a remote object: it is small, or packing it took
// longer than fetching it would.
func WorthFetching(size int64, packed time.Duration) bool {
	return size <= smallOutput || packed.Seconds() > float64(size)/outputFetchRate
}

// PutFile keeps the finished output file name, whose SHA256 is sum and
// which took packed to pack, under k, and uploads it when it is worth a
// remote object (WorthFetching), which it returns.
func (c *Cache) PutFile(k Key, name, sum string, packed time.Duration) (worth bool, err error) {
	dir := filepath.Join(c.dir, blobsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	tmp := c.blobPath(k) + tmpMark + "data"
	os.Remove(tmp)
	if err := linkOrCopy(name, tmp); err != nil {
		return false, fmt.Errorf("keeping output %s in the step cache: %w", name, err)
	}
	if err := os.Rename(tmp, c.blobPath(k)); err != nil {
		return false, err
	}
	os.Remove(c.blobPath(k) + localMark)
	fi, err := os.Stat(name)
	if err != nil {
		return false, err
	}
	if worth = WorthFetching(fi.Size(), packed); !worth {
		if err := writeSync(c.blobPath(k)+localMark, nil); err != nil {
			return false, err
		}
	}
	if err := writeSync(c.blobPath(k)+".sha256", []byte(sum)); err != nil {
		return false, err
	}
	c.uploadOutput(k, sum)
	return worth, c.trimBlobs()
}

// GetFile places the output kept under k at name (through a temporary
// name and a rename) after checking its SHA256, which it returns. It
// returns "" when there is no intact entry.
func (c *Cache) GetFile(k Key, name string) (string, error) {
	got := c.fetchedFile(k) // checked as it came in
	if got == "" {
		want, err := os.ReadFile(c.blobPath(k) + ".sha256")
		if err != nil {
			return "", nil
		}
		got, err = filehash.Sum(c.blobPath(k))
		if err != nil || got != string(want) {
			removeBlob(c.blobPath(k))
			return "", nil
		}
	}
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+tmpMark+"cached")
	os.Remove(tmp)
	if err := linkOrCopy(c.blobPath(k), tmp); err != nil {
		return "", fmt.Errorf("restoring %s from the step cache: %w", name, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("restoring %s from the step cache: %w", name, err)
	}
	c.uploadOutput(k, got)
	return got, nil
}

func (c *Cache) trimBlobs() error {
	names, _ := filepath.Glob(filepath.Join(c.dir, blobsDir, "*.sha256"))
	if len(names) <= keepBlobs {
		return nil
	}
	type aged struct {
		name string
		mod  int64
	}
	var all []aged
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil {
			all = append(all, aged{n, fi.ModTime().UnixNano()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod < all[j].mod })
	for _, a := range all[:len(all)-keepBlobs] {
		removeBlob(strings.TrimSuffix(a.name, ".sha256"))
	}
	return nil
}

// removeBlob removes the kept output at path with its checksum and mark.
func removeBlob(path string) {
	for _, p := range []string{path, path + ".sha256", path + localMark} {
		os.Remove(p)
	}
}

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}
