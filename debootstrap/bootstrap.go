package debootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// builder carries one bootstrap through its phases.
type builder struct {
	opt     Options
	dir     string
	root    *chroot.Root // dir; every host-side access inside it goes through root
	log     io.Writer
	dist    distro
	arch    string
	mirror  string
	keyData []byte
	fetch   *fetcher
	archive *archive
	extract *extractor
	start   time.Time
	// emulated: the root's programs run under qemu-user, so dpkg's own
	// helpers run as host tools (dpkgTools).
	emulated bool
}

func newBuilder(dir string, opt Options) (*builder, error) {
	d, err := lookupDistro(opt.Distribution)
	if err != nil {
		return nil, err
	}
	if opt.Suite == "" {
		return nil, errors.New("no suite given")
	}
	if _, err := (&universe{}).seeds(opt.Variant, false); err != nil {
		return nil, err
	}
	b := &builder{opt: opt, dir: dir, log: opt.Log, dist: d, arch: opt.ResolvedArch(), mirror: opt.Mirror, start: time.Now()}
	if b.log == nil {
		b.log = io.Discard
	}
	if b.mirror == "" {
		b.mirror = d.mirror(b.arch)
	}
	if len(b.opt.Components) == 0 {
		b.opt.Components = d.components
	}
	c, err := openCache(opt.CacheDir)
	if err != nil {
		return nil, err
	}
	b.fetch = newFetcher(c)
	b.fetch.log = b.log
	b.archive = &archive{mirror: b.mirror, suite: opt.Suite, arch: b.arch, components: b.opt.Components,
		allowExpired: opt.AllowExpired, fetch: b.fetch}
	return b, nil
}

// step logs a phase with the wall time and the CPU time (ours, and our
// children's: dpkg and the maintainer scripts) spent so far.
func (b *builder) step(format string, args ...any) {
	fmt.Fprintf(b.log, "[%5.1fs, cpu %s] %s\n", time.Since(b.start).Seconds(), cpuTimes(), fmt.Sprintf(format, args...))
}

// run performs the phases; the caller removes the root when it fails.
func (b *builder) run(ctx context.Context) (*Result, error) {
	root, err := chroot.Open(b.dir)
	if err != nil {
		return nil, err
	}
	b.root = root
	chosen, err := b.openAndResolve(ctx)
	if err != nil {
		return nil, err
	}
	if err := b.unpackAndInstall(ctx, chosen); err != nil {
		return nil, err
	}
	if err := writeSources(b); err != nil {
		return nil, err
	}
	if err := writeFstab(b); err != nil {
		return nil, err
	}
	if err := b.root.WriteDev(); err != nil { // so that a plain chroot works in the unpacked image
		return nil, err
	}
	if err := syncRoot(b.dir); err != nil {
		return nil, err
	}
	res := &Result{ReleaseSHA: b.archive.rel.SHA256, Set: packageSet(chosen, b.arch)}
	for _, p := range chosen {
		res.Packages = append(res.Packages, p.Name)
	}
	sort.Strings(res.Packages)
	b.step("done: %d packages in %s", len(res.Packages), b.dir)
	return res, nil
}

// openAndResolve verifies the archive's Release and resolves the package
// set from its indices.
func (b *builder) openAndResolve(ctx context.Context) ([]*Package, error) {
	b.step("reading %s %s for %s from %s", b.dist.name, b.opt.Suite, b.arch, b.mirror)
	if err := b.openRelease(ctx); err != nil {
		return nil, err
	}
	return b.resolve(ctx)
}

// openRelease fetches the Release and verifies it with the keyring.
func (b *builder) openRelease(ctx context.Context) error {
	var keys openpgp.EntityList
	if !b.opt.Insecure {
		var err error
		if keys, b.keyData, err = loadKeyring(b.dist, b.opt.Keyring); err != nil {
			return err
		}
	}
	return b.archive.openRelease(ctx, keys, b.log)
}

func (b *builder) resolve(ctx context.Context) ([]*Package, error) {
	u, err := b.loadUniverse(ctx)
	if err != nil {
		return nil, err
	}
	chosen, err := b.resolveIn(u, b.opt.Include)
	if err != nil {
		return nil, err
	}
	b.step("resolved %d packages", len(chosen))
	return chosen, nil
}

// loadUniverse reads the indices of every component.
func (b *builder) loadUniverse(ctx context.Context) (*universe, error) {
	var lists [][]Package
	for _, c := range b.opt.Components {
		pkgs, err := b.archive.loadIndex(ctx, c)
		if err != nil {
			return nil, err
		}
		lists = append(lists, pkgs)
	}
	return newUniverse(b.arch, lists...), nil
}

// resolveIn resolves the variant's seeds and include in u.
func (b *builder) resolveIn(u *universe, include []string) ([]*Package, error) {
	seeds, err := u.seeds(b.opt.Variant, b.dist.mergedUsr(b.opt.Suite))
	if err != nil {
		return nil, err
	}
	chosen, err := u.resolve(seeds, include, b.opt.Exclude)
	if err != nil {
		return nil, fmt.Errorf("resolving packages of %s %s: %w", b.dist.name, b.opt.Suite, err)
	}
	// Copies, so that the index of the whole archive can be collected.
	out := make([]*Package, len(chosen))
	for i, p := range chosen {
		cp := *p
		out[i] = &cp
	}
	return out, nil
}

func (b *builder) unpackAndInstall(ctx context.Context, chosen []*Package) error {
	emulated, err := setupEmulation(b.arch, b.log)
	if err != nil {
		return err
	}
	b.emulated = emulated
	if b.dist.mergedUsr(b.opt.Suite) {
		if err := setupMergedUsr(b.root, b.arch); err != nil {
			return err
		}
	}
	if !b.opt.UnpackOnly {
		for _, d := range []string{"/repacked", "/plain"} {
			if err := b.root.MkdirAll(debDir+d, 0o755); err != nil {
				return err
			}
		}
	}
	x, err := openExtractor(b.dir)
	if err != nil {
		return err
	}
	defer x.close()
	b.extract = x
	g := newChosenGraph(chosen)
	essential := g.essentialSet()
	paths, err := b.fetchAndUnpack(ctx, chosen, essential)
	if err != nil {
		return err
	}
	switch {
	case b.opt.UnpackOnly:
		b.step("unpacked all %d packages; no maintainer script run (unpack only)", len(chosen))
		return nil
	case b.opt.InstallWithDpkg:
		b.step("fetched all, essential set unpacked; installing with dpkg")
		err = b.install(ctx, g.installOrder(), paths)
	default:
		b.step("fetched all, essential set unpacked; registering, unpacking and configuring")
		err = b.installFast(ctx, g.installOrder(), paths, essential)
	}
	if err != nil {
		return err
	}
	b.step("installed")
	return nil
}

// setupMergedUsr makes /bin, /sbin, /lib (and the architecture's other
// library folders) symlinks into /usr before anything is unpacked, as
// debootstrap does.
func setupMergedUsr(root *chroot.Root, arch string) error {
	for _, d := range mergedDirs(arch) {
		if err := root.MkdirAll("/usr/"+d, 0o755); err != nil {
			return fmt.Errorf("setting up merged /usr: %w", err)
		}
		if err := root.Symlink("usr/"+d, "/"+d); err != nil {
			return fmt.Errorf("setting up merged /usr: %w", err)
		}
	}
	return nil
}
