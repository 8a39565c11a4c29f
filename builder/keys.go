package builder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/provision"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// Keys computes the step cache key of the base and of every step: the base
// from the bootstrap parameters, the archive's Release (a mirror update
// invalidates it) and chrootbuild's own executable; each step from the one
// before, its kind, its decoded attributes (variables are already in them)
// and the content of every file it reads from the definition's folder.
func Keys(ctx context.Context, img *hcl.Image) ([]stepcache.Key, error) {
	self, err := selfDigest()
	if err != nil {
		return nil, err
	}
	release, err := releaseDigest(ctx, img.Bootstrap)
	if err != nil {
		return nil, err
	}
	opts := img.Bootstrap
	opts.CacheDir, opts.Log = "", nil
	ob, _ := json.Marshal(opts)
	keys := []stepcache.Key{stepcache.NewKey("", []byte(self), []byte(release), ob)}
	for _, s := range img.Steps {
		sb, err := json.Marshal(s.Step)
		if err != nil {
			return nil, fmt.Errorf("hashing step %s: %w", s.Kind, err)
		}
		in, err := inputsDigest(s)
		if err != nil {
			return nil, fmt.Errorf("hashing the files of step %s (%s): %w", s.Kind, pos(s.Range), err)
		}
		keys = append(keys, stepcache.NewKey(keys[len(keys)-1], []byte(s.Kind), sb, []byte(in)))
	}
	return keys, nil
}

// selfDigest hashes chrootbuild's own executable: any change to the
// program invalidates every cached step.
func selfDigest() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("hashing %s: %w", exe, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", exe, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// releaseDigest hashes the suite's InRelease (or Release) file as the
// mirror serves it now.
func releaseDigest(ctx context.Context, o debootstrap.Options) (string, error) {
	mirror := o.Mirror
	if mirror == "" {
		var err error
		if mirror, err = debootstrap.DefaultMirror(o.Distribution, o.Arch); err != nil {
			return "", err
		}
	}
	mirror = strings.TrimSuffix(mirror, "/")
	var last error
	for _, name := range []string{"InRelease", "Release"} {
		url := mirror + "/dists/" + o.Suite + "/" + name
		sum, err := fetchDigest(ctx, url)
		if err == nil {
			return sum, nil
		}
		last = err
	}
	return "", last
}

func fetchDigest(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetching %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetching %s: %s", url, resp.Status)
	}
	h := sha256.New()
	if _, err := io.Copy(h, resp.Body); err != nil {
		return "", fmt.Errorf("fetching %s: %w", url, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// inputsDigest hashes the files a step reads (folders recursively).
func inputsDigest(s hcl.Step) (string, error) {
	in, ok := s.Step.(provision.Inputs)
	if !ok {
		return "", nil
	}
	h := sha256.New()
	files := in.InputFiles()
	sort.Strings(files)
	for _, rel := range files {
		root := filepath.Join(s.Dir, rel)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			name, _ := filepath.Rel(s.Dir, p)
			fmt.Fprintf(h, "%q %o\n", name, uint32(fi.Mode()))
			if fi.Mode().IsRegular() {
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				h.Write(b)
			} else if fi.Mode()&fs.ModeSymlink != 0 {
				t, _ := os.Readlink(p)
				fmt.Fprintf(h, "-> %q\n", t)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
