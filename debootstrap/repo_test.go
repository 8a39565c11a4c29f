package debootstrap

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// testPkg is a package of the test repository: its control fields, its
// files (path -> content) and symlinks (path -> target). indexName and
// filename, when set, replace the Package: and Filename: fields of its
// stanza in the index (hostile archives).
type testPkg struct {
	name, version, fields string
	files, links          map[string]string
	indexName, filename   string
}

// testRepo is a signed apt repository the test builds and serves on
// loopback: suite "test", component main, architecture amd64.
type testRepo struct {
	dir     string
	key     *openpgp.Entity
	keyring string // public keyring file
	srv     *httptest.Server
	mu      sync.Mutex
	hits    []string // request paths, with the Range header when any
	debs    map[string]string
	header  string // the Release's fields before SHA256; "" means suite and codename "test"
}

func newTestRepo(t *testing.T, pkgs []testPkg) *testRepo {
	t.Helper()
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	r := &testRepo{dir: t.TempDir(), debs: map[string]string{}}
	key, err := openpgp.NewEntity("chrootbuild test archive", "", "test@example.invalid", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.key = key
	r.keyring = filepath.Join(t.TempDir(), "keyring.gpg")
	var pub bytes.Buffer
	if err := key.Serialize(&pub); err != nil {
		t.Fatal(err)
	}
	writeFile(t, r.keyring, pub.Bytes())
	var index bytes.Buffer
	for _, p := range pkgs {
		deb := r.buildDeb(t, dpkgDeb, p)
		fmt.Fprintf(&index, "%s\n", r.stanza(t, p, deb))
	}
	r.writeIndex(t, index.Bytes())
	r.sign(t)
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *testRepo) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	hit := req.URL.Path
	if rg := req.Header.Get("Range"); rg != "" {
		hit += " " + rg
	}
	r.hits = append(r.hits, hit)
	r.mu.Unlock()
	http.FileServer(http.Dir(r.dir)).ServeHTTP(w, req)
}

// requests returns the requests made so far whose path contains s.
func (r *testRepo) requests(s string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, h := range r.hits {
		if strings.Contains(h, s) {
			out = append(out, h)
		}
	}
	return out
}

func (r *testRepo) buildDeb(t *testing.T, dpkgDeb string, p testPkg) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), p.name)
	control := fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: test <test@example.invalid>\nDescription: test package\n%s",
		p.name, p.version, p.fields)
	writeFile(t, filepath.Join(src, "DEBIAN/control"), []byte(control))
	for name, content := range p.files {
		writeFile(t, filepath.Join(src, name), []byte(content))
	}
	for name, target := range p.links {
		os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755)
		if err := os.Symlink(target, filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	rel := fmt.Sprintf("pool/main/%s_%s_amd64.deb", p.name, p.version)
	out := filepath.Join(r.dir, rel)
	os.MkdirAll(filepath.Dir(out), 0o755)
	if b, err := exec.Command(dpkgDeb, "--root-owner-group", "-Zgzip", "--build", src, out).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb: %v: %s", err, b)
	}
	r.debs[p.name] = out
	return rel
}

func (r *testRepo) stanza(t *testing.T, p testPkg, rel string) string {
	data, err := os.ReadFile(filepath.Join(r.dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	name, filename := p.name, rel
	if p.indexName != "" {
		name = p.indexName
	}
	if p.filename != "" {
		filename = p.filename
	}
	return fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: amd64\n%sFilename: %s\nSize: %d\nSHA256: %s\n",
		name, p.version, p.fields, filename, len(data), sha(data))
}

func (r *testRepo) writeIndex(t *testing.T, index []byte) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(index)
	zw.Close()
	xzCmd := exec.Command(testenv.RequireTool(t, "xz"), "-c")
	xzCmd.Stdin = bytes.NewReader(index)
	xz, err := xzCmd.Output()
	if err != nil {
		t.Fatalf("xz: %v", err)
	}
	base := filepath.Join(r.dir, "dists/test/main/binary-amd64")
	writeFile(t, filepath.Join(base, "Packages"), index)
	for _, c := range [][]byte{gz.Bytes(), xz} {
		name := map[bool]string{true: "Packages.gz", false: "Packages.xz"}[bytes.Equal(c, gz.Bytes())]
		writeFile(t, filepath.Join(base, name), c)
		writeFile(t, filepath.Join(base, "by-hash/SHA256", sha(c)), c)
	}
}

// sign writes Release, Release.gpg and InRelease over the current
// indices.
func (r *testRepo) sign(t *testing.T) {
	t.Helper()
	rel := r.releaseText(t)
	dists := filepath.Join(r.dir, "dists/test")
	writeFile(t, filepath.Join(dists, "Release"), rel)
	var sig, in bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&sig, r.key, bytes.NewReader(rel), nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dists, "Release.gpg"), sig.Bytes())
	w, err := clearsign.Encode(&in, r.key.PrivateKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(rel)
	w.Close()
	writeFile(t, filepath.Join(dists, "InRelease"), in.Bytes())
}

func (r *testRepo) releaseText(t *testing.T) []byte {
	var b bytes.Buffer
	header := r.header
	if header == "" {
		header = "Origin: test\nSuite: test\nCodename: test\n"
	}
	b.WriteString(header + "Architectures: amd64\nComponents: main\nAcquire-By-Hash: yes\nSHA256:\n")
	var names []string
	base := filepath.Join(r.dir, "dists/test")
	filepath.Walk(filepath.Join(base, "main"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && !strings.Contains(p, "by-hash") {
			names = append(names, p)
		}
		return nil
	})
	sort.Strings(names)
	for _, p := range names {
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(base, p)
		fmt.Fprintf(&b, " %s %d %s\n", sha(data), len(data), rel)
	}
	return b.Bytes()
}

func (r *testRepo) url() string { return r.srv.URL }

func sha(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tarStream builds a tar archive from headers (with contents for regular
// files), for the hostile-archive tests that no packaging tool would make.
func tarStream(t *testing.T, entries []tar.Header, contents map[string]string) *tar.Reader {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		h := h
		c := contents[h.Name]
		h.Size = int64(len(c))
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(c))
	}
	tw.Close()
	return tar.NewReader(&buf)
}

// openRoot opens dir as a chroot.Root.
func openRoot(t *testing.T, dir string) *chroot.Root {
	t.Helper()
	r, err := chroot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
