package builder_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/registrytest"
	"github.com/chrootbuild/chrootbuild/internal/s3test"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/publish/oci"
)

// TestPublishFromDefinition builds the cache test image and publishes it
// as `build --publish` does, to a real S3 server and a real registry on
// loopback: refused without a boot report, published with a passing one
// of this image.
func TestPublishFromDefinition(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	s3 := s3test.Start(t, "images")
	reg := registrytest.Start(t, "", "")
	def := definition(t)
	r := mustBuild(t, def, nil)
	img := publishing(t, def, s3.Endpoint, reg.Addr)
	opt := builder.PublishOptions{Insecure: true}
	err := builder.Publish(context.Background(), img, r.res, opt)
	if err == nil || !strings.Contains(err.Error(), "has no boot report") {
		t.Fatalf("publishing an image never booted: %v", err)
	}
	tar, _ := r.res.RootArchive()
	passed := &boot.Report{Image: tar.Path, Digest: tar.Digest, Passed: true}
	if err := passed.Save(filepath.Join(r.out, boot.ReportName)); err != nil {
		t.Fatal(err)
	}
	if err := builder.Publish(context.Background(), img, r.res, opt); err != nil {
		t.Fatalf("publish: %v", err)
	}
	listing := s3.S3cmd(t, "ls", "s3://images/cb/")
	for _, want := range []string{"cachetest-test.tar", "cachetest-latest.tar", "cachetest-test.tar.sha256", "cachetest-test.spdx.json"} {
		if !strings.Contains(listing, want) {
			t.Errorf("%s missing from the bucket:\n%s", want, listing)
		}
	}
	pulled(t, reg.Addr+"/cb/cachetest:test")
}

// TestPipelineForceAfterFailedBoot runs `build --boot --publish` as one
// Pipeline on an image that cannot pass the boot checks in one second: the
// failed boot stops it before publishing and its report is saved; with
// --force the same image is published and released.
func TestPipelineForceAfterFailedBoot(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror and boots in QEMU")
	}
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "qemu-system-x86_64")
	testenv.RequireTool(t, "nc")
	s3 := s3test.Start(t, "images")
	reg := registrytest.Start(t, "", "")
	def := definition(t)
	img := publishing(t, def, s3.Endpoint, reg.Addr)
	var log bytes.Buffer
	opt := builder.PipelineOptions{
		Build:   builder.Options{OutDir: t.TempDir(), StepCache: stepCache(), CacheDir: "/var/cache/chrootbuild", Log: &log},
		Boot:    &boot.Options{Timeout: time.Second, FailFast: true},
		Publish: &builder.PublishOptions{Insecure: true},
	}
	res, report, err := builder.Pipeline(context.Background(), img, opt)
	if !errors.Is(err, builder.ErrBootFailed) || report == nil || report.Passed {
		t.Fatalf("pipeline with a failing boot: %v, report %+v\n%s", err, report, log.String())
	}
	saved, lerr := boot.Load(filepath.Join(res.OutDir, boot.ReportName))
	if tar, _ := res.RootArchive(); lerr != nil || saved.Passed || saved.Digest != tar.Digest {
		t.Fatalf("saved boot report: %+v, %v", saved, lerr)
	}
	if listing := s3.S3cmd(t, "ls", "s3://images/cb/"); strings.Contains(listing, "cachetest") {
		t.Fatalf("published after a failed boot without --force:\n%s", listing)
	}
	opt.Publish.Force = true
	if _, _, err := builder.Pipeline(context.Background(), img, opt); err != nil {
		t.Fatalf("pipeline with --force: %v\n%s", err, log.String())
	}
	if listing := s3.S3cmd(t, "ls", "s3://images/cb/"); !strings.Contains(listing, "cachetest-test.tar") {
		t.Fatalf("--force did not publish after a failed boot:\n%s", listing)
	}
	pulled(t, reg.Addr+"/cb/cachetest:test")
}

// publishing loads the definition with a publish block aimed at the
// loopback servers.
func publishing(t *testing.T, def, endpoint, registry string) *hcl.Image {
	t.Helper()
	img, diags := hcl.Load(def, hcl.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	img.Publish = &hcl.Publish{S3: "s3://images/cb/", Endpoint: endpoint, Registry: registry + "/cb/cachetest", Latest: true}
	return img
}

func pulled(t *testing.T, ref string) {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	pushed, err := remote.Image(r)
	if err != nil {
		t.Fatalf("pulling the released image: %v", err)
	}
	checkSBOMReferrer(t, r, pushed)
}

// checkSBOMReferrer finds the SPDX document among the pushed image's
// referrers.
func checkSBOMReferrer(t *testing.T, ref name.Reference, img v1.Image) {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := remote.Referrers(ref.Context().Digest(d.String()))
	if err != nil {
		t.Fatalf("referrers of %s: %v", d, err)
	}
	im, err := idx.IndexManifest()
	if err != nil || len(im.Manifests) != 1 || im.Manifests[0].ArtifactType != oci.SPDXType {
		t.Errorf("referrers of the released image: %+v, %v", im, err)
	}
}
