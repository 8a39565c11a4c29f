package builder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
	"github.com/chrootbuild/chrootbuild/provision"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// Keys computes the step cache key of the base and of every step: the base
// from the bootstrap parameters (with the architecture resolved), the
// exact package set the archive gives them now (name, version,
// architecture and SHA256 of every .deb: a mirror update that changes
// none of them keeps the base) and chrootbuild's own executable; each step
// from the one before, its kind, its decoded attributes (variables are
// already in them), network = false when set, the content of every file
// it reads from the definition's folder and, for a step that installs
// packages, the exact set the archive resolves for them with the base
// (see packageSetDigest).
func Keys(ctx context.Context, img *hcl.Image, cacheDir string) ([]stepcache.Key, error) {
	self, err := selfDigest()
	if err != nil {
		return nil, err
	}
	opts := img.Bootstrap
	opts.CacheDir, opts.Log = cacheDir, nil
	archive, err := debootstrap.OpenArchive(ctx, opts)
	if err != nil {
		return nil, err
	}
	base, err := archive.Resolve(nil)
	if err != nil {
		return nil, err
	}
	opts.CacheDir, opts.Arch = "", opts.ResolvedArch()
	ob, _ := json.Marshal(opts)
	keys := []stepcache.Key{stepcache.NewKey("", []byte(self), ob, setDigest(base))}
	var installed []string
	for _, s := range img.Steps {
		sb, err := json.Marshal(s.Step)
		if err != nil {
			return nil, fmt.Errorf("hashing step %s: %w", s.Kind, err)
		}
		in, err := inputsDigest(s)
		if err != nil {
			return nil, fmt.Errorf("hashing the files of step %s (%s): %w", s.Kind, pos(s.Range), err)
		}
		parts := [][]byte{[]byte(s.Kind), sb, []byte(in)}
		if pi, ok := s.Step.(provision.PackageInstaller); ok && len(pi.InstalledPackages()) > 0 {
			installed = append(installed, pi.InstalledPackages()...)
			parts = append(parts, packageSetDigest(archive, installed))
		}
		if !s.Common.Network { // a step that failed offline may pass online
			parts = append(parts, []byte("network=false"))
		}
		keys = append(keys, stepcache.NewKey(keys[len(keys)-1], parts...))
	}
	return keys, nil
}

// packageSetDigest hashes the package set the archive resolves for the
// base plus every package installed by this step and those before it.
// Names the archive does not have (from a repository an apt_source step
// adds) leave the step keyed by its attributes alone, which the digest
// says.
func packageSetDigest(a *debootstrap.Archive, installed []string) []byte {
	set, err := a.Resolve(installed)
	if err != nil {
		return []byte("unresolved: " + err.Error())
	}
	return setDigest(set)
}

func setDigest(set []debootstrap.PackageID) []byte {
	h := sha256.New()
	for _, p := range set {
		fmt.Fprintln(h, p.String())
	}
	return []byte(hex.EncodeToString(h.Sum(nil)))
}

// selfDigest hashes chrootbuild's own executable: any change to the
// program invalidates every cached step.
func selfDigest() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return filehash.Sum(exe)
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
