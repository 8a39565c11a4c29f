package imagediff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

const statusOld = `Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u2

Package: wget
Status: install ok installed
Architecture: amd64
Version: 1.21.3-1+b2

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024b-0+deb12u1
`

const statusNew = `Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: curl
Status: install ok installed
Architecture: amd64
Version: 7.88.1-10+deb12u8

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.15-1~deb12u1

Package: tzdata
Status: install ok installed
Architecture: all
Version: 2024a-0+deb12u1
`

// writeTree makes a root: files maps a path to its content ("->x" makes a
// symlink to x, "/" a folder).
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		var err error
		switch {
		case c == "/":
			err = os.MkdirAll(full, 0o755)
		case strings.HasPrefix(c, "->"):
			err = os.Symlink(c[2:], full)
		default:
			err = os.WriteFile(full, []byte(c), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// oldNew returns two roots that differ in every way a diff reports.
func oldNew(t *testing.T) (string, string) {
	common := map[string]string{"etc/same": "same\n", "bin/sh": "->dash", "etc/mode": "m", "etc/owner": "o", "var/empty": "/"}
	old := map[string]string{"var/lib/dpkg/status": statusOld, "etc/gone": "x", "etc/content": "aaaa", "etc/size": "a", "etc/link": "->a", "etc/type": "f"}
	new := map[string]string{"var/lib/dpkg/status": statusNew, "usr/bin/curl": "curl", "etc/content": "aaab", "etc/size": "ab", "etc/link": "->b", "etc/type": "/"}
	for k, v := range common {
		old[k], new[k] = v, v
	}
	o, n := writeTree(t, old), writeTree(t, new)
	os.Chmod(filepath.Join(n, "etc/mode"), 0o600)
	os.Chown(filepath.Join(n, "etc/owner"), 1000, 1000)
	unix.Lsetxattr(filepath.Join(n, "etc/same"), "user.test", []byte("v"), 0)
	return o, n
}

const wantText = `packages:
  + curl 7.88.1-10+deb12u8
  - wget 1.21.3-1+b2
  ^ openssl 3.0.11-1~deb12u2 -> 3.0.15-1~deb12u1
  v tzdata 2024b-0+deb12u1 -> 2024a-0+deb12u1
files:
  + /usr
  + /usr/bin
  + /usr/bin/curl
  - /etc/gone
  ~ /etc/content: content (4 bytes)
  ~ /etc/link: link a -> b
  ~ /etc/mode: mode 0644 -> 0600
  ~ /etc/owner: owner 0:0 -> 1000:1000
  ~ /etc/same: extended attributes
  ~ /etc/size: content 1 -> 2 bytes
  ~ /etc/type: type file -> dir
  ~ /var/lib/dpkg/status: content 358 -> 364 bytes
summary: packages: 1 added, 1 removed, 1 upgraded, 1 downgraded; files: 3 added, 1 removed, 8 changed
`

func diffText(t *testing.T, old, new string) (string, *Result) {
	t.Helper()
	r, err := Compare(context.Background(), old, new)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.WriteText(&b)
	return b.String(), r
}

// TestRootsAndTars compares two roots, then the same two as tars written
// by GNU tar (gzip and zstd), and a root with a tar: all say the same.
func TestRootsAndTars(t *testing.T) {
	testenv.RequireRoot(t)
	tarBin := testenv.RequireTool(t, "tar")
	testenv.RequireTool(t, "zstd")
	o, n := oldNew(t)
	got, r := diffText(t, o, n)
	want := wantText
	if got != want || r.Equal() {
		t.Errorf("roots:\n%s\nwant:\n%s", got, want)
	}
	if got, r := diffText(t, o, o); got != "summary: no differences\n" || !r.Equal() {
		t.Errorf("a root with itself: %s", got)
	}
	dir := t.TempDir()
	ot, nt := filepath.Join(dir, "old.tar.gz"), filepath.Join(dir, "new.tar.zst")
	for src, dst := range map[string]string{o: ot, n: nt} {
		if out, err := exec.Command(tarBin, "-C", src, "--xattrs", "--xattrs-include=*", "--numeric-owner", "-caf", dst, ".").CombinedOutput(); err != nil {
			t.Fatalf("tar: %v\n%s", err, out)
		}
	}
	for _, pair := range [][2]string{{ot, nt}, {o, nt}, {ot, n}} {
		if got, _ := diffText(t, pair[0], pair[1]); got != want {
			t.Errorf("%s vs %s:\n%s\nwant:\n%s", pair[0], pair[1], got, want)
		}
	}
	if got, _ := diffText(t, ot, o); got != "summary: no differences\n" {
		t.Errorf("a tar with its root:\n%s", got)
	}
}

func TestManifests(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "old.manifest")
	os.WriteFile(text, []byte("base-files\t12.4+deb12u5\nopenssl\t3.0.11-1~deb12u2\nwget\t1.21.3-1+b2\ntzdata\t2024b-0+deb12u1\n"), 0o644)
	spdx := filepath.Join(dir, "new.spdx.json")
	os.WriteFile(spdx, []byte(`{"spdxVersion": "SPDX-2.3", "packages": [
{"name": "image", "versionInfo": "1"},
{"name": "base-files", "versionInfo": "12.4+deb12u5", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64"}]},
{"name": "curl", "versionInfo": "7.88.1-10+deb12u8", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u8?arch=amd64"}]},
{"name": "openssl", "versionInfo": "3.0.15-1~deb12u1", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/openssl@3.0.15-1~deb12u1?arch=amd64"}]},
{"name": "tzdata", "versionInfo": "2024a-0+deb12u1", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all"}]}]}`), 0o644)
	got, r := diffText(t, text, spdx)
	want := wantText[:strings.Index(wantText, "files:")] + "summary: packages: 1 added, 1 removed, 1 upgraded, 1 downgraded\n"
	if got != want || r.Files != nil {
		t.Errorf("manifests:\n%s\nwant:\n%s", got, want)
	}
}

// TestBadInput: kinds that cannot be compared and unreadable files are
// errors saying what was expected.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.manifest")
	os.WriteFile(manifest, []byte("bash\t5.2.15-2+b7\n"), 0o644)
	garbage := filepath.Join(dir, "rootfs.sqsh")
	os.WriteFile(garbage, []byte("hsqs\x00\x01\x02 binary junk\n"), 0o644)
	notManifest := filepath.Join(dir, "notes.txt")
	os.WriteFile(notManifest, []byte("bash 5.2\njust some words\n"), 0o644)
	notSPDX := filepath.Join(dir, "x.json")
	os.WriteFile(notSPDX, []byte(`{"name": "x"}`), 0o644)
	for _, tc := range []struct{ old, new, want string }{
		{dir, manifest, "is a root folder and " + manifest + " a package manifest: give two images (root folders or tars) or two package manifests"},
		{manifest, garbage, "rootfs.sqsh is binary data (a squashfs image: compare the tar, or unsquashfs it and compare the folder), not a tar: expected an image root folder, a tar"},
		{manifest, notManifest, `notes.txt:2: "just some words" is not NAME<TAB>VERSION: expected`},
		{manifest, notSPDX, "x.json is JSON but not an SPDX document"},
		{manifest, filepath.Join(dir, "missing"), "reading " + filepath.Join(dir, "missing") + ": "},
		{manifest, "/dev/null", "/dev/null is neither a folder nor a file"},
	} {
		_, err := Compare(context.Background(), tc.old, tc.new)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Compare(%s, %s) = %v, want %q", tc.old, tc.new, err, tc.want)
		}
	}
}

func TestJSON(t *testing.T) {
	o, n := writeTree(t, map[string]string{"a": "1"}), writeTree(t, map[string]string{"a": "2"})
	r, err := Compare(context.Background(), o, n)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	r.WriteJSON(&b)
	for _, s := range []string{`"equal": false`, `"path": "/a"`, `"what": "content"`, `"summary": "files: 0 added, 0 removed, 1 changed"`} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("JSON lacks %s:\n%s", s, b.String())
		}
	}
	if r.Packages != nil || !reflect.DeepEqual(r.Files.Added, []string{}) {
		t.Errorf("result: %+v", r)
	}
}
