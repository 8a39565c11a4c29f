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
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/publish/oci"
)

func init() {
	register(&command{
		name:    "release",
		usage:   "release [--insecure] [--latest] [--tag T]... [--label k=v]... [--layer-cache DIR] [--sbom FILE] ROOT|TAR REGISTRY/REPO:TAG",
		summary: "Push a root folder or tar as a one-layer OCI image under TAG, YYYY-MM-DD, each --tag and latest (credentials from the Docker config); --sbom attaches an SPDX document as its referrer.",
		run:     runRelease,
	})
}

func runRelease(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["release"], stderr)
	o := oci.ReleaseOptions{Labels: map[string]string{}}
	fs.BoolVar(&o.Insecure, "insecure", false, "allow plain http and unverified TLS to the registry")
	fs.BoolVar(&o.Latest, "latest", false, "also tag the image latest")
	fs.Func("tag", "extra `tag`, a version alias (repeatable)", func(s string) error {
		o.Tags = append(o.Tags, s)
		return nil
	})
	fs.Func("label", "config label `key=value` (repeatable)", func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return fmt.Errorf("%q is not key=value", s)
		}
		o.Labels[k] = v
		return nil
	})
	fs.StringVar(&o.Name, "name", "", "image title label (default: the repository's last part)")
	fs.StringVar(&o.Description, "description", "", "image description label")
	fs.StringVar(&o.LayerCache, "layer-cache", cachedir.Dir(cachedir.Default).Layers(),
		"`folder` keeping the last compressed layers, so releasing the same root again compresses nothing (empty: none)")
	fs.StringVar(&o.SBOM, "sbom", "", "SPDX JSON `file` to attach to the image as an OCI referrer (artifact type application/spdx+json)")
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	o.Source, o.Ref, o.Log = pos[0], pos[1], stdout
	if err := chroot.CheckCleanDir(o.Source); err != nil {
		fmt.Fprintf(stderr, "chrootbuild release: %v\n", err)
		return exitFail
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := oci.Release(ctx, o); err != nil {
		fmt.Fprintf(stderr, "chrootbuild release: %v\n", err)
		return exitFail
	}
	return exitOK
}
