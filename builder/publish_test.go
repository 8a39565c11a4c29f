package builder_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
// loopback; then checks the gate that refuses an image whose last boot
// check failed.
func TestPublishFromDefinition(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	s3 := s3test.Start(t, "images")
	reg := registrytest.Start(t, "", "")
	def := definition(t)
	r := mustBuild(t, def, nil)
	img, diags := hcl.Load(def, hcl.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	img.Publish = &hcl.Publish{S3: "s3://images/cb/", Endpoint: s3.Endpoint, Registry: reg.Addr + "/cb/cachetest", Latest: true}
	opt := builder.PublishOptions{OutDir: r.out, Insecure: true}
	if err := builder.Publish(context.Background(), img, opt); err != nil {
		t.Fatalf("publish: %v", err)
	}
	listing := s3.S3cmd(t, "ls", "s3://images/cb/")
	for _, want := range []string{"cachetest-test.tar", "cachetest-latest.tar", "cachetest-test.tar.sha256", "cachetest-test.spdx.json"} {
		if !strings.Contains(listing, want) {
			t.Errorf("%s missing from the bucket:\n%s", want, listing)
		}
	}
	ref, err := name.ParseReference(reg.Addr+"/cb/cachetest:test", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	pushed, err := remote.Image(ref)
	if err != nil {
		t.Fatalf("pulling the released image: %v", err)
	}
	checkSBOMReferrer(t, ref, pushed)

	failed := &boot.Report{Image: r.out, Checks: []boot.Check{{Name: "a login prompt appears on the serial console"}}}
	if err := failed.Save(filepath.Join(r.out, boot.ReportName)); err != nil {
		t.Fatal(err)
	}
	err = builder.Publish(context.Background(), img, opt)
	if err == nil || !strings.Contains(err.Error(), "last boot check") || !strings.Contains(err.Error(), "login prompt") {
		t.Fatalf("publishing an image whose boot failed: %v", err)
	}
	opt.Force = true
	if err := builder.Publish(context.Background(), img, opt); err != nil {
		t.Fatalf("publish --force: %v", err)
	}
	os.Remove(filepath.Join(r.out, boot.ReportName))
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
