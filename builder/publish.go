package builder

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/redact"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/publish/oci"
	"github.com/chrootbuild/chrootbuild/publish/s3"
)

// PublishOptions say where `build --publish` sends a built image; empty
// fields take the definition's publish block.
type PublishOptions struct {
	OutDir   string
	S3       string // s3://bucket/prefix/
	Endpoint string
	Registry string // registry/repo
	Insecure bool
	Force    bool // publish even though the last boot check failed
	Log      io.Writer
}

// Publish uploads the image's file outputs to S3 and releases its root to
// a registry, as the definition's publish block (and opt) say. It refuses
// an image whose last boot check in OutDir failed, unless opt.Force.
//
// The image's sensitive values are scrubbed from the log and the error.
func Publish(ctx context.Context, img *hcl.Image, opt PublishOptions) error {
	sc := redact.New(img.Secrets...)
	if opt.Log != nil {
		opt.Log = scrubWriter{opt.Log, sc}
	}
	return sc.Error(publish(ctx, img, opt))
}

func publish(ctx context.Context, img *hcl.Image, opt PublishOptions) error {
	p := hcl.Publish{}
	if img.Publish != nil {
		p = *img.Publish
	}
	bucket, registry, endpoint := or(opt.S3, p.S3), or(opt.Registry, p.Registry), or(opt.Endpoint, p.Endpoint)
	if bucket == "" && registry == "" {
		return fmt.Errorf("publishing %s: no destination (a publish block with s3 or registry, or --s3/--registry)", img.Name)
	}
	if err := bootGate(opt.OutDir, opt.Force); err != nil {
		return err
	}
	files, tarball, sbom := outputFiles(img, opt.OutDir)
	name := or(p.Name, img.Name)
	if bucket != "" {
		po := s3.Options{URL: bucket, Endpoint: endpoint, Name: name, Version: img.Version, Latest: p.Latest, Public: p.Public, Log: opt.Log}
		if _, err := s3.Upload(ctx, po, files...); err != nil {
			return fmt.Errorf("publishing %s: %w", img.Name, err)
		}
	}
	if registry != "" {
		if tarball == "" {
			return fmt.Errorf("releasing %s: the image has no tar output to release", img.Name)
		}
		ro := oci.ReleaseOptions{Source: tarball, Ref: registry + ":" + img.Version, Tags: p.Tags, Latest: p.Latest,
			Insecure: opt.Insecure, Name: name, Description: img.Description, SBOM: sbom, Log: opt.Log}
		if _, err := oci.Release(ctx, ro); err != nil {
			return fmt.Errorf("releasing %s: %w", img.Name, err)
		}
	}
	return nil
}

// bootGate refuses to publish an image whose last boot check failed.
func bootGate(outDir string, force bool) error {
	r, err := boot.Load(filepath.Join(outDir, boot.ReportName))
	if err != nil || r.Passed || force {
		return nil
	}
	var failed []string
	for _, c := range r.Failed() {
		failed = append(failed, c.Name)
	}
	return fmt.Errorf("refusing to publish: the last boot check of %s failed (%s); fix the image or use --force",
		outDir, strings.Join(failed, "; "))
}

// outputFiles lists the image's file outputs in outDir, its first tar
// and its first SPDX document.
func outputFiles(img *hcl.Image, outDir string) (files []string, tarball, sbom string) {
	for _, o := range img.Outputs {
		p, ok := o.Output.(pack.File)
		if !ok {
			continue
		}
		name := p.OutputPath()
		if !filepath.IsAbs(name) {
			name = filepath.Join(outDir, name)
		}
		if _, err := os.Stat(name); err != nil {
			continue
		}
		files = append(files, name)
		if pack.ProductOf(o.Output) == pack.ProductRootArchive && tarball == "" {
			tarball = name
		}
		if m, ok := o.Output.(*pack.Manifest); ok && m.Format == "spdx-json" && sbom == "" {
			sbom = name
		}
	}
	return files, tarball, sbom
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
