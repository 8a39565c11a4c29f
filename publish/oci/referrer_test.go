package oci

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/chrootbuild/chrootbuild/internal/registrytest"
)

// TestReleaseAttachesSBOM releases with an SPDX document and finds it
// again as the image's referrer, through go-containerregistry's
// Referrers as any client would, on the real registry on loopback.
// docker-registry 2.8 has no referrers API (it answers 404), so the
// referrer is listed by the sha256-DIGEST tag of the OCI distribution
// specification's fallback; the test checks which the registry did.
func TestReleaseAttachesSBOM(t *testing.T) {
	root := makeRoot(t)
	r := registrytest.Start(t, "", "")
	sbom := filepath.Join(t.TempDir(), "rootfs.spdx.json")
	doc := []byte(`{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}`)
	must(t, os.WriteFile(sbom, doc, 0o644))
	c := &registrytest.Counter{Next: http.DefaultTransport}
	res := release(t, r, c, root, "x/sbom:1", func(o *ReleaseOptions) { o.SBOM = sbom })
	if !strings.HasPrefix(res.SBOM, "sha256:") {
		t.Fatalf("no SBOM digest in %+v", res)
	}
	subject, err := name.NewDigest(r.Addr+"/x/sbom@"+res.Digest, name.Insecure)
	must(t, err)
	idx, err := remote.Referrers(subject)
	must(t, err)
	im, err := idx.IndexManifest()
	must(t, err)
	if len(im.Manifests) != 1 || im.Manifests[0].ArtifactType != SPDXType || im.Manifests[0].Digest.String() != res.SBOM {
		t.Fatalf("referrers of %s: %+v", res.Digest, im.Manifests)
	}
	art, err := remote.Image(subject.Context().Digest(res.SBOM))
	must(t, err)
	mf, err := art.Manifest()
	must(t, err)
	if mf.Subject == nil || mf.Subject.Digest.String() != res.Digest || mf.ArtifactType != SPDXType || len(mf.Layers) != 1 {
		t.Fatalf("artifact manifest: %+v", mf)
	}
	layers, err := art.Layers()
	must(t, err)
	rc, err := layers[0].Compressed()
	must(t, err)
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, doc) {
		t.Errorf("attached document %q, want %q", got, doc)
	}
	apiStatus := referrersAPI(t, r.Addr, "x/sbom", res.Digest)
	tags, err := remote.List(subject.Context())
	must(t, err)
	fallback := "sha256-" + strings.TrimPrefix(res.Digest, "sha256:")
	t.Logf("referrers API: HTTP %d; tags %v", apiStatus, tags)
	if apiStatus == http.StatusNotFound && !slices.Contains(tags, fallback) {
		t.Errorf("no referrers API and no fallback tag %s: %v", fallback, tags)
	}
}

// referrersAPI returns the status of GET /v2/REPO/referrers/DIGEST.
func referrersAPI(t *testing.T, addr, repo, digest string) int {
	resp, err := http.Get("http://" + addr + "/v2/" + repo + "/referrers/" + digest)
	must(t, err)
	resp.Body.Close()
	return resp.StatusCode
}
