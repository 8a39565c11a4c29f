// Package debootstrap creates a Debian or Ubuntu base system natively in
// Go: it verifies the archive's signed Release, resolves the package set,
// downloads .debs in parallel into a content-addressed cache, unpacks the
// essential set, then lets the root's own dpkg register every package
// while the files are written in Go, and configures everything with that
// dpkg (register.go).
//
// Commands run in the root through package chroot, so a program that
// calls Bootstrap must call chroot.Init first in main (or TestMain).
package debootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Options are the bootstrap parameters, as in the definition's bootstrap
// block and the `chrootbuild bootstrap` flags.
type Options struct {
	Distribution string   // "debian" or "ubuntu"
	Suite        string   // bookworm, trixie, jammy, noble, ...
	Arch         string   // amd64, arm64, armhf; "" means the host's
	Variant      string   // essential, minbase (default), standard
	Mirror       string   // "" means the distribution's default for Arch
	Components   []string // default: main (Ubuntu: main, universe)
	Include      []string // extra packages; one that cannot be installed is an error naming the chain
	Exclude      []string // never installed; a dependency only they satisfy is dropped, as debootstrap does
	Keyring      string   // path to an OpenPGP keyring; "" means the shipped one
	Insecure     bool     // accept an unsigned archive (local test mirrors)
	AllowExpired bool     // accept a Release past its Valid-Until (snapshot archives)

	// TrustedInImage keeps the "Trusted: yes" that an insecure bootstrap
	// writes in the apt sources in the finished image (see FinishSources);
	// by default only the build itself trusts the unsigned archive.
	TrustedInImage bool
	CacheDir       string   // content-addressed .deb and index cache
	Env            []string `json:",omitempty"` // extra KEY=VALUE for dpkg and maintainer scripts (INITRD=No: no initramfs); omitted from cache keys when empty
	Log            io.Writer
	Progress       func(Progress) `json:"-"` // called for each package unpacked and configured; may be nil

	// InstallWithDpkg makes dpkg unpack every package after the essential
	// set, as debootstrap does, instead of writing the files in Go and
	// letting dpkg register and configure them: the reference the
	// equivalence tests compare the fast install with.
	InstallWithDpkg bool `json:"-"`

	// UnpackOnly writes every package's files into the root (in Go, as
	// the fast install writes the essential set) and stops there: neither
	// dpkg nor any maintainer script runs, so nothing is registered or
	// configured and a foreign root costs no emulated process. The result
	// is no Debian system; it is for a throw-away root whose files alone
	// are wanted, such as the boot check's kernel root.
	UnpackOnly bool `json:",omitempty"`
}

// Result describes a finished bootstrap.
type Result struct {
	Packages   []string    // installed package names, sorted
	ReleaseSHA string      // SHA256 of the verified Release
	Set        []PackageID // exactly what was installed, sorted by name
}

// Bootstrap builds the base system into dir, which must be empty or
// missing. On error the half-built root is removed.
func Bootstrap(ctx context.Context, dir string, opt Options) (*Result, error) {
	b, err := newBuilder(dir, opt)
	if err != nil {
		return nil, fmt.Errorf("bootstrapping %s: %w", dir, err)
	}
	created, err := claimDir(dir)
	if err != nil {
		return nil, fmt.Errorf("bootstrapping %s: %w", dir, err)
	}
	res, err := b.run(ctx)
	if err != nil {
		err = fmt.Errorf("bootstrapping %s: %w", dir, err)
		if rerr := removeRoot(dir, created); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, err
	}
	return res, nil
}

// claimDir checks that dir is missing or empty and creates it; it
// reports whether it created it.
func claimDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return true, os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return false, err
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("target folder is not empty")
	}
	return false, nil
}
