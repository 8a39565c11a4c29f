package builder

import (
	"context"
	"fmt"
	"io"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/redact"
	"github.com/chrootbuild/chrootbuild/publish/oci"
	"github.com/chrootbuild/chrootbuild/publish/s3"
)

// PublishOptions say where `build --publish` sends a built image; empty
// fields take the definition's publish block.
type PublishOptions struct {
	S3       string // s3://bucket/prefix/
	Endpoint string
	Registry string // registry/repo
	Insecure bool
	Force    bool // publish without a passing boot report of this image
	Log      io.Writer
}

// Publish uploads the result's files to S3 and releases its root archive
// to a registry, as the definition's publish block (and opt) say. It
// refuses an image without a passing boot report in the output folder,
// unless opt.Force.
//
// The image's sensitive values are scrubbed from the log and the error.
func Publish(ctx context.Context, img *hcl.Image, res *Result, opt PublishOptions) error {
	sc := redact.New(img.Secrets...)
	if opt.Log != nil {
		opt.Log = scrubWriter{opt.Log, sc}
	}
	return sc.Error(publish(ctx, img, res, opt))
}

func publish(ctx context.Context, img *hcl.Image, res *Result, opt PublishOptions) error {
	p := hcl.Publish{}
	if img.Publish != nil {
		p = *img.Publish
	}
	bucket, registry, endpoint := or(opt.S3, p.S3), or(opt.Registry, p.Registry), or(opt.Endpoint, p.Endpoint)
	if bucket == "" && registry == "" {
		return fmt.Errorf("publishing %s: no destination (a publish block with s3 or registry, or --s3/--registry)", img.Name)
	}
	if err := bootGate(res, opt.Force); err != nil {
		return err
	}
	name := or(p.Name, img.Name)
	if bucket != "" {
		var files []string
		for _, a := range res.Files() {
			files = append(files, a.Path)
		}
		po := s3.Options{URL: bucket, Endpoint: endpoint, Name: name, Version: img.Version, Latest: p.Latest, Public: p.Public, Log: opt.Log}
		if _, err := s3.Upload(ctx, po, files...); err != nil {
			return fmt.Errorf("publishing %s: %w", img.Name, err)
		}
	}
	if registry != "" {
		a, ok := res.RootArchive()
		if !ok {
			return fmt.Errorf("releasing %s: the image has no root archive (a tar output, plain, gzip or zstd) to release", img.Name)
		}
		sbom := ""
		if s, ok := res.SBOM(); ok {
			sbom = s.Path
		}
		ro := oci.ReleaseOptions{Source: a.Path, Ref: registry + ":" + img.Version, Tags: p.Tags, Latest: p.Latest,
			Insecure: opt.Insecure, Name: name, Description: img.Description, SBOM: sbom, Log: opt.Log}
		if _, err := oci.Release(ctx, ro); err != nil {
			return fmt.Errorf("releasing %s: %w", img.Name, err)
		}
	}
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
