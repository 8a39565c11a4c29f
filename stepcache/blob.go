package stepcache

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

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

// PutFile keeps the finished output file name, whose SHA256 is sum, under k.
func (c *Cache) PutFile(k Key, name, sum string) error {
	dir := filepath.Join(c.dir, blobsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp := c.blobPath(k) + tmpMark + "data"
	os.Remove(tmp)
	if err := linkOrCopy(name, tmp); err != nil {
		return fmt.Errorf("keeping output %s in the step cache: %w", name, err)
	}
	if err := os.Rename(tmp, c.blobPath(k)); err != nil {
		return err
	}
	if err := writeSync(c.blobPath(k)+".sha256", []byte(sum)); err != nil {
		return err
	}
	c.uploadOutput(k, sum)
	return c.trimBlobs()
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
			os.Remove(c.blobPath(k))
			os.Remove(c.blobPath(k) + ".sha256")
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
		os.Remove(strings.TrimSuffix(a.name, ".sha256"))
		os.Remove(a.name)
	}
	return nil
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
