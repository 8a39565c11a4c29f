package debootstrap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// installFast installs the packages with dpkg's own bookkeeping but
// without dpkg's file work, in the three parts of `dpkg --install`:
//
//  1. dpkg --unpack of every package, in order, with --path-exclude=/*:
//     dpkg runs each preinst, records the package as unpacked (status,
//     info/*.list, md5sums, conffiles, maintainer scripts, trigger
//     interests) and writes none of its files;
//  2. the files, written here in parallel where dpkg would have put them
//     (conffiles as .dpkg-new, diverted paths under their new name,
//     folders with the mode of the first package that ships them);
//  3. dpkg --configure of every package in the same order: postinsts,
//     conffiles moved into place and hashed, triggers.
//
// Where the root's programs run under qemu-user, dpkg's own helpers run
// natively as host tools (dpkgTools): registering then costs what the
// preinsts cost, not five emulated program starts a package.
//
// The essential set is on disk already (unpacked in Go, its conffiles
// also as .dpkg-new); every .deb is the repacked, uncompressed copy.
func (b *builder) installFast(ctx context.Context, order []*Package, paths map[string]debFile, essential map[string]bool) error {
	root := b.root
	if err := initDpkgDB(root); err != nil {
		return err
	}
	defer root.RemoveAll(debDir)
	var debs, names []string
	for _, p := range order {
		debs = append(debs, paths[p.Name].path)
		names = append(names, p.Name)
	}
	prog := newPhaseProgress(b.log, b.opt.Progress, len(order))
	if b.emulated {
		fmt.Fprintf(b.log, "the root's programs run under qemu-user; dpkg's own helpers (%s) run natively as host tools\n", strings.Join(dpkgTools, ", "))
	}
	unpack := append([]string{"dpkg", "--unpack", "--path-exclude=/*", "--force-depends", "--force-unsafe-io"}, debs...)
	if err := b.dpkg(ctx, unpack, prog.lines("Unpacking ", "registered")); err != nil {
		return fmt.Errorf("registering packages with dpkg --unpack: %w", err)
	}
	prog.done("registered")
	b.step("registered with dpkg --unpack (preinsts run, no files written)")
	if err := b.unpackRest(ctx, order, paths, essential, prog); err != nil {
		return err
	}
	prog.done("unpacked")
	b.step("unpacked the rest")
	configure := append([]string{"dpkg", "--configure", "--force-depends", "--force-confnew", "--force-unsafe-io"}, names...)
	if err := b.dpkg(ctx, configure, prog.lines("Setting up ", "configured")); err != nil {
		return fmt.Errorf("configuring packages with dpkg --configure: %w", err)
	}
	prog.done("configured")
	return audit(ctx, root)
}

// dpkg runs one dpkg command in the root; its output goes to out and, on
// failure, its tail into the error.
func (b *builder) dpkg(ctx context.Context, args []string, out *lineCounter) error {
	undo, err := b.root.Prepare()
	if err != nil {
		return err
	}
	// NoSync: dpkg syncs its database after every state change, hundreds
	// of times for a base system; Bootstrap syncs the file system once at
	// the end instead.
	cmd := chroot.Cmd{Args: args, Env: b.dpkgEnv(), Stdout: out, Stderr: out, NoSync: true}
	if b.emulated {
		cmd.HostTools = dpkgTools
	}
	err = b.root.Run(ctx, cmd)
	err = errors.Join(err, undo())
	if err != nil {
		return fmt.Errorf("%w\n%s", err, out.tail.String())
	}
	return nil
}

// unpackRest writes the files of every package outside the essential set
// from its repacked .deb, on every core.
func (b *builder) unpackRest(ctx context.Context, order []*Package, paths map[string]debFile, essential map[string]bool, prog *phaseProgress) error {
	diverted, err := readDiversions(b.root)
	if err != nil {
		return err
	}
	if err := refuseStatOverrides(b.root); err != nil {
		return err
	}
	dirs := newDirClaims()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(len(unpackJobs()))
	for i, p := range order {
		if essential[p.Name] {
			prog.step("unpacked", p.Name)
			continue
		}
		deb := paths[p.Name]
		rule := &unpackRule{index: i, conffiles: deb.conffiles, diverted: diverted.except(p.Name), dirs: dirs}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			f, err := b.root.OpenFile(deb.plain, os.O_RDONLY, 0)
			if err != nil {
				return fmt.Errorf("unpacking %s: %w", p.Name, err)
			}
			defer f.Close()
			if err := b.extract.extractTar(tarReader(f), rule); err != nil {
				return fmt.Errorf("unpacking %s: %w", p.Name, err)
			}
			prog.step("unpacked", p.Name)
			return nil
		})
	}
	return g.Wait()
}

// diversions are dpkg's: path -> (new path, diverting package).
type diversions map[string][2]string

// except returns the diversions that apply to the files of pkg: those
// made by any other package.
func (d diversions) except(pkg string) map[string]string {
	out := map[string]string{}
	for from, v := range d {
		if v[1] != pkg {
			out[from] = v[0]
		}
	}
	return out
}

// readDiversions reads /var/lib/dpkg/diversions (three lines each: the
// path, where it goes, the package, ":" for a local one) as the preinsts
// left it.
func readDiversions(root *chroot.Root) (diversions, error) {
	data, err := root.ReadFile("/var/lib/dpkg/diversions")
	if errors.Is(err, os.ErrNotExist) {
		return diversions{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading dpkg's diversions: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(data) == 0 {
		lines = nil
	}
	if len(lines)%3 != 0 {
		return nil, fmt.Errorf("reading dpkg's diversions: %d lines, not triples", len(lines))
	}
	d := diversions{}
	for i := 0; i < len(lines); i += 3 {
		d[lines[i]] = [2]string{lines[i+1], lines[i+2]}
	}
	return d, nil
}

// refuseStatOverrides stops the install when a preinst registered a
// dpkg-statoverride, which this unpack does not apply: no package of a
// Debian or Ubuntu base does, and a silent difference would be worse.
func refuseStatOverrides(root *chroot.Root) error {
	data, err := root.ReadFile("/var/lib/dpkg/statoverride")
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(strings.TrimSpace(string(data))) == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading dpkg's stat overrides: %w", err)
	}
	return fmt.Errorf("a preinst registered dpkg-statoverride entries before unpack, which the fast install does not apply:\n%s", data)
}
