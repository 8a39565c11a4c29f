package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/chrootbuild/chrootbuild/build"
	"github.com/chrootbuild/chrootbuild/internal/mountns"
)

func init() {
	register(&command{
		name:    "build",
		usage:   "build [--out DIR] [--cache DIR] [--step-cache DIR|off] [--json] [--var k=v]... [--var-file F] PATH",
		summary: "Build the image a definition describes and write its outputs (needs root).",
		run:     runBuild,
	})
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["build"], stderr)
	vars := addVarFlags(fs)
	var opt build.Options
	fs.StringVar(&opt.OutDir, "out", ".", "folder that output paths are relative to")
	fs.StringVar(&opt.CacheDir, "cache", build.DefaultCacheDir, "package cache, shared by every build")
	fs.StringVar(&opt.StepCache, "step-cache", "", "step cache folder (default CACHE/steps); off: rebuild everything")
	limit := fs.Int64("step-cache-limit", 20<<30, "step cache size limit in bytes; least recently used entries go first")
	fs.BoolVar(&opt.JSON, "json", false, "write the build's events as JSON lines")
	path, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	img := loadDefinition(path, vars, stderr)
	if img == nil {
		return exitFail
	}
	if err := mountns.Enter(); err != nil {
		fmt.Fprintf(stderr, "chrootbuild build: %v\n", err)
		return exitFail
	}
	opt.StepCacheLimit = *limit
	opt.Log = stdout
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := build.Run(ctx, img, opt); err != nil {
		fmt.Fprintf(stderr, "chrootbuild build: %v\n", err)
		return exitFail
	}
	return exitOK
}
