package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/chrootbuild/chrootbuild/publish/s3"
)

func init() {
	register(&command{
		name:    "publish",
		usage:   "publish [--endpoint URL] [--profile P] [--name N] [--version V] [--latest] [--public] FILE... s3://BUCKET/PREFIX/",
		summary: "Upload image files to S3 as NAME-VERSION.EXT with a .sha256 beside each (credentials from the AWS chain).",
		run:     runPublish,
	})
}

func runPublish(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["publish"], stderr)
	var o s3.Options
	fs.StringVar(&o.Endpoint, "endpoint", "", "S3-compatible server `URL` (default: AWS, or AWS_ENDPOINT_URL_S3)")
	fs.StringVar(&o.Profile, "profile", "", "profile of the shared AWS config and credentials files (default: AWS_PROFILE)")
	fs.StringVar(&o.Name, "name", "", "published `name` (default: the file's name before its first dot)")
	fs.StringVar(&o.Version, "version", "", "`version` in the published name NAME-VERSION.EXT")
	fs.BoolVar(&o.Latest, "latest", false, "also publish NAME-latest.EXT")
	fs.BoolVar(&o.Public, "public", false, "make the objects public-read")
	fs.Int64Var(&o.PartSize, "part-size", s3.DefaultPartSize, "multipart part size in `bytes`")
	fs.IntVar(&o.Concurrency, "jobs", s3.DefaultConcurrency, "parts sent at once")
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) < 2 || !strings.HasPrefix(pos[len(pos)-1], "s3://") {
		fmt.Fprintln(stderr, "chrootbuild publish: give one or more files, then the s3://BUCKET/PREFIX/ to publish them to")
		fs.Usage()
		return exitUsage
	}
	o.URL = pos[len(pos)-1]
	o.Log = stdout
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := s3.Upload(ctx, o, pos[:len(pos)-1]...); err != nil {
		fmt.Fprintf(stderr, "chrootbuild publish: %v\n", err)
		return exitFail
	}
	return exitOK
}
