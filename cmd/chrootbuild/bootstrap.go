package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
)

func init() {
	register(&command{
		name:    "bootstrap",
		usage:   "bootstrap --distribution D --suite S [--arch A] [--variant V] [--mirror URL] [--include p,q] [--allow-expired] [--cache DIR] DIR",
		summary: "Bootstrap a Debian or Ubuntu base system into DIR.",
		run:     runBootstrap,
		args:    argDir,
	})
}

func runBootstrap(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["bootstrap"], stderr)
	var opt debootstrap.Options
	var include, exclude, components string
	fs.StringVar(&opt.Distribution, "distribution", "debian", "debian or ubuntu")
	fs.StringVar(&opt.Suite, "suite", "", "suite or codename: bookworm, trixie, jammy, noble, ...")
	fs.StringVar(&opt.Arch, "arch", "", "amd64, arm64 or armhf (default: the host's)")
	fs.StringVar(&opt.Variant, "variant", "minbase", "essential, minbase or standard")
	fs.StringVar(&opt.Mirror, "mirror", "", "archive URL (default: the distribution's for the architecture)")
	fs.StringVar(&components, "components", "", "comma-separated components (default: main; Ubuntu: main,universe)")
	fs.StringVar(&include, "include", "", "comma-separated extra packages")
	fs.StringVar(&exclude, "exclude", "", "comma-separated packages to leave out")
	fs.StringVar(&opt.Keyring, "keyring", "", "OpenPGP keyring to verify the archive with (default: the shipped one)")
	fs.BoolVar(&opt.Insecure, "insecure", false, "do not verify the archive signature (local test mirrors only)")
	fs.BoolVar(&opt.AllowExpired, "allow-expired", false, "accept a Release file past its Valid-Until (snapshot archives)")
	fs.BoolVar(&opt.TrustedInImage, "trusted-in-image", false, "with --insecure: leave the archive marked Trusted in the root's apt sources")
	fs.StringVar(&opt.CacheDir, "cache", cachedir.Default, "package cache shared by every build")
	dir, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	if opt.Suite == "" {
		fmt.Fprintln(stderr, "chrootbuild bootstrap: --suite is required")
		return exitUsage
	}
	opt.Include, opt.Exclude, opt.Components = splitList(include), splitList(exclude), splitList(components)
	opt.Log = stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := debootstrap.Bootstrap(ctx, dir, opt)
	if err == nil {
		err = finishSources(dir, opt)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: %d packages\n", dir, len(res.Packages))
	return exitOK
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// finishSources readies the bootstrapped root's apt sources: the root is
// a finished image as far as this command goes.
func finishSources(dir string, opt debootstrap.Options) error {
	root, err := chroot.Open(dir)
	if err != nil {
		return err
	}
	return debootstrap.FinishSources(root, opt)
}
