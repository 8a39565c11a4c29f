// Package aptrepotest builds, for tests, a signed apt repository of
// packages made on the spot with dpkg-deb, and serves it on loopback: the
// repository that chrootbuild's bootstrap and its apt steps are tested
// against without the Debian mirror. The key is a fresh OpenPGP key;
// Release, Release.gpg and InRelease are signed with it.
package aptrepotest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Package is a package of the repository: its control fields, its files
// (path -> content) and symlinks (path -> target). IndexName and Filename,
// when set, replace the Package: and Filename: fields of its stanza in the
// index (hostile archives).
type Package struct {
	Name, Version       string
	Arch                string // default amd64
	Fields              string // more control fields, each ending in "\n"
	Files, Links        map[string]string
	IndexName, Filename string
}

// Repo is a signed apt repository in Dir: suite "test", component main,
// architecture amd64 (dists/test/main/binary-amd64/Packages, .gz, .xz and
// by-hash), or a flat one (Packages and InRelease in Dir itself).
type Repo struct {
	Dir     string
	Flat    bool
	Key     *openpgp.Entity
	Keyring string            // binary public keyring file
	Debs    map[string]string // package name -> its .deb in Dir
	Server  *httptest.Server  // set by Serve
	// Header is the Release file's fields before the index list; "" is
	// Origin, Suite and Codename "test" (flat: Origin, Label and Date).
	Header string
	mu     sync.Mutex
	hits   []string // request paths, with the Range header when any
}

// New builds a repository of pkgs in dir (a fresh temporary folder when
// dir is ""), signed by a fresh key.
func New(t testing.TB, dir string, flat bool, pkgs []Package) *Repo {
	t.Helper()
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	if dir == "" {
		dir = t.TempDir()
	}
	r := &Repo{Dir: dir, Flat: flat, Debs: map[string]string{}}
	key, err := openpgp.NewEntity("chrootbuild test archive", "", "test@example.invalid", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Key = key
	r.Keyring = filepath.Join(t.TempDir(), "keyring.gpg")
	var pub bytes.Buffer
	if err := key.Serialize(&pub); err != nil {
		t.Fatal(err)
	}
	WriteFile(t, r.Keyring, pub.Bytes())
	var index bytes.Buffer
	for _, p := range pkgs {
		deb := r.buildDeb(t, dpkgDeb, p)
		fmt.Fprintf(&index, "%s\n", r.stanza(t, p, deb))
	}
	r.WriteIndex(t, index.Bytes())
	r.Sign(t)
	return r
}

// AddPackage builds p, adds it to the index and signs the repository
// again.
func (r *Repo) AddPackage(t testing.TB, p Package) {
	t.Helper()
	index, err := os.ReadFile(filepath.Join(r.indexDir(), "Packages"))
	if err != nil {
		t.Fatal(err)
	}
	deb := r.buildDeb(t, testenv.RequireTool(t, "dpkg-deb"), p)
	index = append(index, []byte(r.stanza(t, p, deb)+"\n")...)
	r.WriteIndex(t, index)
	r.Sign(t)
}

// ArmoredKey returns the public key, ASCII-armored (for Signed-By).
func (r *Repo) ArmoredKey(t testing.TB) string {
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err == nil {
		err = r.Key.Serialize(w)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.String() + "\n"
}

func (r *Repo) buildDeb(t testing.TB, dpkgDeb string, p Package) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), p.Name)
	control := fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: test <test@example.invalid>\nDescription: test package\n%s",
		p.Name, p.Version, p.arch(), p.Fields)
	WriteFile(t, filepath.Join(src, "DEBIAN/control"), []byte(control))
	for name, content := range p.Files {
		WriteFile(t, filepath.Join(src, name), []byte(content))
	}
	for name, target := range p.Links {
		os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o755)
		if err := os.Symlink(target, filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	rel := fmt.Sprintf("pool/main/%s_%s_%s.deb", p.Name, p.Version, p.arch())
	out := filepath.Join(r.Dir, rel)
	os.MkdirAll(filepath.Dir(out), 0o755)
	if b, err := exec.Command(dpkgDeb, "--root-owner-group", "-Zgzip", "--build", src, out).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb: %v: %s", err, b)
	}
	r.Debs[p.Name] = out
	return rel
}

func (p Package) arch() string {
	if p.Arch == "" {
		return "amd64"
	}
	return p.Arch
}

func (r *Repo) stanza(t testing.TB, p Package, rel string) string {
	data, err := os.ReadFile(filepath.Join(r.Dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	name, filename := p.Name, rel
	if p.IndexName != "" {
		name = p.IndexName
	}
	if p.Filename != "" {
		filename = p.Filename
	}
	return fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: %s\n%sFilename: %s\nSize: %d\nSHA256: %s\n",
		name, p.Version, p.arch(), p.Fields, filename, len(data), SHA256(data))
}

// indexDir is the folder of the Packages files; releaseDir of Release.
func (r *Repo) indexDir() string {
	if r.Flat {
		return r.Dir
	}
	return filepath.Join(r.Dir, "dists/test/main/binary-amd64")
}

func (r *Repo) releaseDir() string {
	if r.Flat {
		return r.Dir
	}
	return filepath.Join(r.Dir, "dists/test")
}

// WriteIndex writes the Packages index, plain, gzip and xz (and by hash);
// Sign must follow.
func (r *Repo) WriteIndex(t testing.TB, index []byte) {
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
	base := r.indexDir()
	WriteFile(t, filepath.Join(base, "Packages"), index)
	WriteFile(t, filepath.Join(base, "Packages.gz"), gz.Bytes())
	WriteFile(t, filepath.Join(base, "Packages.xz"), xz)
	if !r.Flat {
		for _, c := range [][]byte{gz.Bytes(), xz} {
			WriteFile(t, filepath.Join(base, "by-hash/SHA256", SHA256(c)), c)
		}
	}
}

// Sign writes Release, Release.gpg and InRelease over the current
// indices.
func (r *Repo) Sign(t testing.TB) {
	t.Helper()
	rel := r.ReleaseText(t)
	dir := r.releaseDir()
	WriteFile(t, filepath.Join(dir, "Release"), rel)
	var sig, in bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&sig, r.Key, bytes.NewReader(rel), nil); err != nil {
		t.Fatal(err)
	}
	WriteFile(t, filepath.Join(dir, "Release.gpg"), sig.Bytes())
	w, err := clearsign.Encode(&in, r.Key.PrivateKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(rel)
	w.Close()
	WriteFile(t, filepath.Join(dir, "InRelease"), in.Bytes())
}

// ReleaseText is the Release file the current indices make.
func (r *Repo) ReleaseText(t testing.TB) []byte {
	var b bytes.Buffer
	header := r.Header
	switch {
	case header == "" && r.Flat:
		header = "Origin: test\nLabel: test\nDate: " + time.Now().UTC().Format(time.RFC1123) + "\n"
	case header == "":
		header = "Origin: test\nSuite: test\nCodename: test\n"
	}
	b.WriteString(header)
	if !r.Flat {
		b.WriteString("Architectures: amd64\nComponents: main\nAcquire-By-Hash: yes\n")
	}
	b.WriteString("SHA256:\n")
	var names []string
	base := r.releaseDir()
	filepath.Walk(r.indexDir(), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasPrefix(fi.Name(), "Packages") && !strings.Contains(p, "by-hash") {
			names = append(names, p)
		}
		return nil
	})
	slices.Sort(names)
	for _, p := range names {
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(base, p)
		fmt.Fprintf(&b, " %s %d %s\n", SHA256(data), len(data), rel)
	}
	return b.Bytes()
}

// SHA256 is the hex SHA-256 of data.
func SHA256(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// WriteFile writes data to p, making its folder.
func WriteFile(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
