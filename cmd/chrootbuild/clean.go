package main

import (
	"context"
	"fmt"
	"io"

	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/publish/s3"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

func init() {
	register(&command{
		name:    "clean",
		usage:   "clean [--cache] [--packages] [--cache-dir DIR] [--step-cache DIR] [--remote-cache s3://B/P/]",
		summary: "Remove what interrupted builds left; --cache empties the step cache, --packages the package cache, --remote-cache a shared remote cache.",
		run:     runClean,
	})
}

func runClean(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["clean"], stderr)
	cache := fs.String("cache-dir", cachedir.Default, "cache folder")
	steps := fs.String("step-cache", "", "step cache folder (default CACHE-DIR/steps)")
	emptySteps := fs.Bool("cache", false, "empty the step cache")
	emptyPackages := fs.Bool("packages", false, "empty the package cache (downloaded .debs and indices, parsed indices)")
	remote := fs.String("remote-cache", "", "empty the remote step cache s3://BUCKET/PREFIX/ (every layer and output under the prefix)")
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 0 {
		fs.Usage()
		return exitUsage
	}
	if *remote != "" {
		return cleanRemote(*remote, stdout, stderr)
	}
	dir := cachedir.Dir(*cache)
	if *steps == "" {
		*steps = dir.Steps()
	}
	c, err := stepcache.Open(*steps, 0)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild clean: %v\n", err)
		return exitFail
	}
	defer c.Close()
	fmt.Fprintf(stdout, "removed leftovers of interrupted builds in %s\n", *steps)
	if *emptySteps {
		size, err := c.Size()
		if err != nil {
			fmt.Fprintf(stderr, "chrootbuild clean: measuring %s: %v\n", *steps, err)
		}
		if err := c.Clean(); err != nil {
			fmt.Fprintf(stderr, "chrootbuild clean: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "emptied step cache %s (%d MB)\n", *steps, size>>20)
	}
	if *emptyPackages {
		size, err := dir.EmptyPackages()
		if err != nil {
			fmt.Fprintf(stderr, "chrootbuild clean: %v\n", err)
			return exitFail
		}
		fmt.Fprintf(stdout, "emptied package cache %s (%d MB)\n", dir, size>>20)
	}
	return exitOK
}

// cleanRemote deletes every entry of a remote step cache.
func cleanRemote(url string, stdout, stderr io.Writer) int {
	ctx := context.Background()
	store, err := s3.NewRemoteCache(ctx, url, "")
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild clean: %v\n", err)
		return exitFail
	}
	n, err := stepcache.CleanRemote(ctx, store)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild clean: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "emptied remote step cache %s (%d objects)\n", store, n)
	return exitOK
}
