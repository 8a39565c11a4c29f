package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/internal/mountns"
)

func init() {
	register(&command{
		name:    "build",
		usage:   "build [--out DIR] [--cache DIR] [--step-cache DIR|off] [--remote-cache s3://B/P/ [--remote-cache-mode M]] [--json] [--boot] [--publish [--force]] [--var k=v]... [--var-file F] PATH",
		summary: "Build the image a definition describes and write its outputs (needs root); --boot checks it in QEMU, --publish sends it where its publish block says.",
		run:     runBuild,
		args:    argDefinition,
	})
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["build"], stderr)
	vars := addVarFlags(fs)
	var opt builder.Options
	fs.StringVar(&opt.OutDir, "out", ".", "folder that output paths are relative to")
	fs.StringVar(&opt.CacheDir, "cache", cachedir.Default, "package cache, shared by every build")
	fs.StringVar(&opt.StepCache, "step-cache", "", "step cache folder (default CACHE/steps); off: rebuild everything")
	limit := fs.Int64("step-cache-limit", 20<<30, "step cache size limit in bytes; least recently used entries go first")
	fs.StringVar(&opt.RemoteCache, "remote-cache", os.Getenv(builder.RemoteCacheEnv), "shared step cache s3://BUCKET/PREFIX/ (default $"+builder.RemoteCacheEnv+"); AWS credentials and AWS_ENDPOINT_URL as the AWS tools read them")
	fs.StringVar(&opt.RemoteCacheMode, "remote-cache-mode", "readwrite", "what the build does with the remote cache: read, write or readwrite")
	fs.BoolVar(&opt.JSON, "json", false, "write the build's events as JSON lines")
	bootIt := fs.Bool("boot", false, "boot the image in QEMU after the build and check it (see chrootbuild boot)")
	var pub builder.PublishOptions
	publishIt := fs.Bool("publish", false, "publish and release the image as the definition's publish block says")
	fs.StringVar(&pub.S3, "s3", "", "with --publish: s3://BUCKET/PREFIX/ (overrides the publish block)")
	fs.StringVar(&pub.Endpoint, "endpoint", "", "with --publish: S3 endpoint URL (overrides the publish block)")
	fs.StringVar(&pub.Registry, "registry", "", "with --publish: REGISTRY/REPO (overrides the publish block)")
	fs.BoolVar(&pub.Insecure, "insecure", false, "with --publish: plain HTTP to the registry")
	fs.BoolVar(&pub.Force, "force", false, "with --publish: publish without a passing boot check (even after a failed --boot)")
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
	builder.Version = version
	opt.Log = stdout
	po := builder.PipelineOptions{Build: opt}
	if *bootIt {
		po.Boot = &boot.Options{Log: stdout}
	}
	if *publishIt {
		pub.Log = stdout
		po.Publish = &pub
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, _, err := builder.Pipeline(ctx, img, po); err != nil {
		fmt.Fprintf(stderr, "chrootbuild build: %v\n", err)
		return exitFail
	}
	return exitOK
}
