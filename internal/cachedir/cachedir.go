// Package cachedir is the one definition of chrootbuild's cache folder
// (/var/cache/chrootbuild unless told otherwise) and of what lives under
// it. Every package that keeps something there, and `chrootbuild clean`,
// takes the folder's names from here.
package cachedir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Default is the cache folder of every build unless --cache says
// otherwise.
const Default = "/var/cache/chrootbuild"

// Dir is a cache folder.
type Dir string

// Or returns dir as a Dir, or Default when it is empty.
func Or(dir string) Dir {
	if dir == "" {
		return Default
	}
	return Dir(dir)
}

// Blobs holds downloaded files (.debs, Packages indices) by SHA-256.
func (d Dir) Blobs() string { return filepath.Join(string(d), "sha256") }

// Partial holds downloads under way.
func (d Dir) Partial() string { return filepath.Join(string(d), "partial") }

// Locks holds the lock files of downloads.
func (d Dir) Locks() string { return filepath.Join(string(d), "locks") }

// Index holds parsed Packages indices, by the index's SHA-256.
func (d Dir) Index() string { return filepath.Join(string(d), "index") }

// Steps is the default step cache.
func (d Dir) Steps() string { return filepath.Join(string(d), "steps") }

// Boot holds the kernels and initramfs that boot checks use.
func (d Dir) Boot() string { return filepath.Join(string(d), "boot") }

// Layers holds the compressed layers of the last releases.
func (d Dir) Layers() string { return filepath.Join(string(d), "layers") }

// PackageDirs are the folders of the package cache: downloads and the
// indices parsed from them.
func (d Dir) PackageDirs() []string {
	return []string{d.Blobs(), d.Partial(), d.Locks(), d.Index()}
}

// EmptyPackages removes the package cache (downloaded .debs and indices,
// parsed indices, partial downloads) and returns the bytes it freed; it
// reports every folder it could not remove.
func (d Dir) EmptyPackages() (int64, error) {
	var size int64
	var errs []error
	for _, p := range d.PackageDirs() {
		size += du(p)
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("emptying the package cache: %w", err))
		}
	}
	return size, errors.Join(errs...)
}

// du is the bytes of the regular files under p (0 when it is missing).
func du(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(_ string, e os.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
