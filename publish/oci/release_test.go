package oci

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/chrootbuild/chrootbuild/internal/loopback"
	"github.com/chrootbuild/chrootbuild/internal/registrytest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
	"github.com/chrootbuild/chrootbuild/pack"
)

// makeRoot builds a small root with what a layer must keep: modes, owners,
// a symlinked /bin, a hard link, an empty private folder, and dpkg's word
// that the root is arm64 (the host's shell binary says otherwise, so the
// test sees which one is used).
func makeRoot(t *testing.T) string {
	t.Helper()
	testenv.RequireRoot(t)
	root := filepath.Join(t.TempDir(), "root")
	for _, d := range []string{"etc", "usr/bin", "var/lib/dpkg", "var/empty", "tmp"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	dash, err := os.ReadFile("/bin/dash")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"etc/hostname":         "server\n",
		"etc/shadow":           "root:*:19000:0:99999:7:::\n",
		"var/lib/dpkg/status":  "Package: base-files\nArchitecture: all\n\nPackage: dpkg\nStatus: install ok installed\nArchitecture: arm64\n\n",
		"usr/bin/dash":         string(dash),
		"usr/bin/hello-script": "#!/bin/sh\necho hello\n",
	}
	for p, c := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must(t, os.Chmod(filepath.Join(root, "usr/bin/dash"), 0o755))
	must(t, os.Chmod(filepath.Join(root, "etc/shadow"), 0o640))
	must(t, os.Lchown(filepath.Join(root, "etc/shadow"), 0, 42))
	must(t, os.Chmod(filepath.Join(root, "var/empty"), 0o700))
	must(t, os.Chmod(filepath.Join(root, "tmp"), 0o1777))
	must(t, os.Symlink("usr/bin", filepath.Join(root, "bin")))
	must(t, os.Symlink("dash", filepath.Join(root, "usr/bin/sh")))
	must(t, os.Link(filepath.Join(root, "usr/bin/dash"), filepath.Join(root, "usr/bin/dash.hardlink")))
	return root
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// release runs Release against the registry with a counting transport.
func release(t *testing.T, r *registrytest.Registry, c *registrytest.Counter, source, ref string, mod func(*ReleaseOptions)) Result {
	t.Helper()
	o := ReleaseOptions{Source: source, Ref: r.Addr + "/" + ref, Insecure: true, Transport: c, Keychain: authn.NewMultiKeychain()}
	if mod != nil {
		mod(&o)
	}
	res, err := Release(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestReleaseFolderPullBackAndPushAgain(t *testing.T) {
	root := makeRoot(t)
	r := registrytest.Start(t, "", "")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14
	c := &registrytest.Counter{Next: http.DefaultTransport}
	opts := func(o *ReleaseOptions) {
		o.Tags, o.Latest, o.Description = []string{"bookworm"}, true, "Debian test image"
		o.Labels = map[string]string{"org.opencontainers.image.source": "https://example.invalid/images"}
	}
	res := release(t, r, c, root, "chrootbuild/debian:12", opts)
	first := c.Reset()
	if !slices.Contains(first, res.Layer) {
		t.Fatalf("first push uploaded %v, not the layer %s", first, res.Layer)
	}
	repo, _ := name.NewRepository(r.Addr+"/chrootbuild/debian", name.Insecure)
	tags, err := remote.List(repo)
	must(t, err)
	slices.Sort(tags)
	if want := []string{"12", "2023-11-14", "bookworm", "latest"}; !slices.Equal(tags, want) {
		t.Errorf("tags %v, want %v", tags, want)
	}
	ref, _ := name.ParseReference(r.Addr+"/chrootbuild/debian:latest", name.Insecure)
	img, err := remote.Image(ref)
	must(t, err)
	if d, _ := img.Digest(); d.String() != res.Digest {
		t.Errorf("latest is %s, pushed %s", d, res.Digest)
	}
	sameEntries(t, dirEntries(t, root), layerEntries(t, img))
	cf, err := img.ConfigFile()
	must(t, err)
	if cf.OS != "linux" || cf.Architecture != "arm64" || cf.Variant != "v8" {
		t.Errorf("platform %s/%s/%s, want linux/arm64/v8 from dpkg's status", cf.OS, cf.Architecture, cf.Variant)
	}
	if !cf.Created.Time.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("created %v, want SOURCE_DATE_EPOCH", cf.Created.Time)
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.title": "debian", "org.opencontainers.image.version": "12",
		"org.opencontainers.image.created": "2023-11-14T22:13:20Z", "org.opencontainers.image.description": "Debian test image",
		"org.opencontainers.image.source": "https://example.invalid/images",
	} {
		if cf.Config.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, cf.Config.Labels[k], v)
		}
	}

	again := release(t, r, c, root, "chrootbuild/debian:12", opts)
	if up := c.Reset(); len(up) != 0 {
		t.Errorf("second push uploaded blobs %v, want none", up)
	}
	if again.Layer != res.Layer {
		t.Errorf("second push made layer %s, first %s: the layer is not deterministic", again.Layer, res.Layer)
	}
}

func TestReleaseTarGivesTheFolderLayer(t *testing.T) {
	root := makeRoot(t)
	r := registrytest.Start(t, "", "")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	tarFile := filepath.Join(t.TempDir(), "rootfs.tar")
	f, err := os.Create(tarFile)
	must(t, err)
	must(t, pack.WriteTar(context.Background(), root, f, pack.TarOptions{Compression: "none"}))
	must(t, f.Close())
	c := &registrytest.Counter{Next: http.DefaultTransport}
	fromDir := release(t, r, c, root, "x/dir:1", nil)
	fromTar := release(t, r, c, tarFile, "x/tar:1", nil)
	if fromDir.Layer != fromTar.Layer || fromTar.Platform != "linux/arm64/v8" {
		t.Errorf("from the folder: %+v; from its tar: %+v", fromDir, fromTar)
	}
	ref, _ := name.ParseReference(r.Addr+"/x/tar:1", name.Insecure)
	img, err := remote.Image(ref)
	must(t, err)
	sameEntries(t, dirEntries(t, root), layerEntries(t, img))
}

func TestReleaseRealRoot(t *testing.T) {
	if testenv.Short() {
		t.Skip("extracts and packs a whole bookworm root")
	}
	root := testroot.Get(t)
	r := registrytest.Start(t, "", "")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	c := &registrytest.Counter{Next: http.DefaultTransport}
	res := release(t, r, c, root, "chrootbuild/bookworm:12", nil)
	if res.Platform != "linux/amd64" {
		t.Errorf("platform %s, want linux/amd64", res.Platform)
	}
	ref, _ := name.ParseReference(r.Addr+"/chrootbuild/bookworm:12", name.Insecure)
	img, err := remote.Image(ref)
	must(t, err)
	sameEntries(t, dirEntries(t, root), layerEntries(t, img))
}

// dockerConfig writes a Docker config.json holding user:password for addr
// and points DOCKER_CONFIG at it, as `docker login` would leave it.
func dockerConfig(t *testing.T, addr, user, password string) {
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	cfg := `{"auths": {"` + addr + `": {"auth": "` + auth + `"}}}`
	must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600))
	t.Setenv("DOCKER_CONFIG", dir)
}

func TestReleaseCredentialsFromDockerConfig(t *testing.T) {
	root := makeRoot(t)
	r := registrytest.Start(t, "builder", "good-password-123")
	dockerConfig(t, r.Addr, "builder", "good-password-123")
	o := ReleaseOptions{Source: root, Ref: r.Addr + "/team/debian:12", Insecure: true, Log: io.Discard}
	if _, err := Release(context.Background(), o); err != nil {
		t.Fatalf("push with the Docker config's credentials: %v", err)
	}
	dockerConfig(t, r.Addr, "builder", "wrong-password-456")
	_, err := Release(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("wrong password: error %v, want one saying the credentials were refused", err)
	}
	if strings.Contains(err.Error(), "wrong-password-456") || strings.Contains(err.Error(), base64.StdEncoding.EncodeToString([]byte("builder:wrong-password-456"))) {
		t.Errorf("error holds the password: %v", err)
	}
	t.Log(err)
}

func TestReleaseUnreachableRegistry(t *testing.T) {
	root := makeRoot(t)
	_, err := Release(context.Background(), ReleaseOptions{Source: root, Ref: loopback.FreeAddr(t) + "/x/y:1", Insecure: true, Keychain: authn.NewMultiKeychain()})
	if err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("error %v, want one saying the registry is unreachable", err)
	}
	t.Log(err)
}

// cancelOnUpload cancels a push when it starts sending a blob.
type cancelOnUpload struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelOnUpload) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.Contains(req.URL.Path, "/blobs/uploads/") && req.Method != http.MethodPost {
		c.cancel()
	}
	return c.next.RoundTrip(req)
}

func TestReleaseInterruptedLeavesNoTag(t *testing.T) {
	root := makeRoot(t)
	r := registrytest.Start(t, "", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Release(ctx, ReleaseOptions{Source: root, Ref: r.Addr + "/x/cut:1", Insecure: true, Latest: true,
		Keychain: authn.NewMultiKeychain(), Transport: cancelOnUpload{http.DefaultTransport, cancel}})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("interrupted push: error %v, want a cancellation", err)
	}
	repo, _ := name.NewRepository(r.Addr+"/x/cut", name.Insecure)
	if tags, err := remote.List(repo); err == nil && len(tags) > 0 {
		t.Errorf("an interrupted push left tags %v", tags)
	}
}
