package debootstrap

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// debDir is where the .debs are linked inside the root while dpkg runs.
const debDir = "/var/cache/chrootbuild-debs"

// dpkgEnv keeps maintainer scripts quiet and non-interactive.
var dpkgEnv = []string{
	"DEBIAN_FRONTEND=noninteractive", "DEBCONF_NONINTERACTIVE_SEEN=true",
	"LC_ALL=C", "LANGUAGE=C", "LANG=C",
}

// dpkgEnv is dpkgEnv and Options.Env, for every dpkg run.
func (b *builder) dpkgEnv() []string {
	return append(append([]string(nil), dpkgEnv...), b.opt.Env...)
}

// install runs dpkg inside the root over every package, in dependency
// order, in one call: one database load, one trigger pass. The essential
// packages are already on disk (unpacked in Go), so every maintainer
// script finds its shell and tools; --force-depends lets dpkg take them
// in the order given rather than refusing a pre-dependency that is
// unpacked but not yet configured.
func (b *builder) install(ctx context.Context, order []*Package, paths map[string]debFile) error {
	root := b.root
	if err := initDpkgDB(root); err != nil {
		return err
	}
	defer root.RemoveAll(debDir)
	debs, err := linkDebs(root, order, paths)
	if err != nil {
		return err
	}
	undo, err := root.Prepare()
	if err != nil {
		return err
	}
	args := append([]string{"dpkg", "--install", "--force-depends", "--force-unsafe-io", "--force-confnew"}, debs...)
	out := &tailWriter{max: 8 << 10}
	// NoSync: dpkg syncs its database after every state change, hundreds of
	// times for a base system; Bootstrap syncs the file system once at the
	// end instead.
	err = root.Run(ctx, chroot.Cmd{Args: args, Env: b.dpkgEnv(), Stdout: out, Stderr: out, NoSync: true})
	err = errors.Join(err, undo())
	if err != nil {
		return fmt.Errorf("installing packages with dpkg: %w\n%s", err, out.String())
	}
	return audit(ctx, root)
}

// audit runs dpkg --audit, which prints nothing when every package is
// correctly installed.
func audit(ctx context.Context, root *chroot.Root) error {
	out := &tailWriter{max: 8 << 10}
	err := root.Run(ctx, chroot.Cmd{Args: []string{"dpkg", "--audit"}, Stdout: out, Stderr: out})
	if err != nil || strings.TrimSpace(out.String()) != "" {
		return fmt.Errorf("checking the package database with dpkg --audit: %v\n%s", err, out.String())
	}
	return nil
}

// initDpkgDB creates the empty dpkg database dpkg expects to find. Every
// path is resolved inside the root: an unpacked package may have made any
// of them a symlink.
func initDpkgDB(root *chroot.Root) error {
	const db = "/var/lib/dpkg/"
	for _, sub := range []string{"info", "updates", "alternatives", "triggers", "parts"} {
		if err := root.MkdirAll(db+sub, 0o755); err != nil {
			return fmt.Errorf("creating the dpkg database: %w", err)
		}
	}
	for _, f := range []string{"status", "available"} {
		if err := root.WriteFile(db+f, nil, 0o644); err != nil {
			return fmt.Errorf("creating the dpkg database: %w", err)
		}
	}
	return nil
}

// linkDebs makes the .debs visible inside the root and returns their
// paths there in order: a repacked one is already inside; a cached one is
// hard-linked in (copied when cache and root are on different file
// systems), never through a symlink the root holds.
func linkDebs(root *chroot.Root, order []*Package, paths map[string]debFile) ([]string, error) {
	if err := root.MkdirAll(debDir, 0o755); err != nil {
		return nil, fmt.Errorf("linking the packages into the root: %w", err)
	}
	var debs []string
	for i, p := range order {
		f := paths[p.Name]
		if f.inRoot {
			debs = append(debs, f.path)
			continue
		}
		name := fmt.Sprintf("%s/%03d_%s.deb", debDir, i, p.Name)
		if err := root.LinkIn(f.path, name); err != nil {
			return nil, fmt.Errorf("linking %s into the root: %w", p.Name, err)
		}
		debs = append(debs, name)
	}
	return debs, nil
}
