package pack

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/spdxschema"
	"github.com/github/go-spdx/v2/spdxexp"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdxlib"
)

const manifestStatus = `Package: bash
Status: install ok installed
Architecture: amd64
Maintainer: Matthias Klose <doko@debian.org>
Version: 5.2.15-2+b7

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Source: glibc
Version: 2.36-9+deb12u7

Package: perl-base
Status: install ok installed
Architecture: amd64
Maintainer: Niko Tyni <ntyni@debian.org>
Source: perl (5.36.0-7+deb12u1)
Version: 1:5.36.0-7+deb12u1
`

const dep5Copyright = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: perl

Files: *
Copyright: Larry Wall
License: GPL-1+ or Artistic

Files: cpan/Foo/*
Copyright: someone
License: public-domain

Files: debian/*
License: Perl

License: public-domain
 Text.
`

// manifestRoot writes a root with a dpkg status and copyright files:
// perl-base's machine-readable, bash's not, libc6 none.
func manifestRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range map[string]string{
		"var/lib/dpkg/status":               manifestStatus,
		"usr/share/doc/perl-base/copyright": dep5Copyright,
		"usr/share/doc/bash/copyright":      "This is Debian GNU/Linux's prepackaged version of bash.\n",
	} {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

var testImage = ImageInfo{Name: "debian", Version: "bookworm", Distribution: "debian", Suite: "bookworm", Arch: "amd64", Description: "Debian"}

func writeManifest(t *testing.T, root, format string, debs func(context.Context, string, string, string) (string, error)) []byte {
	t.Helper()
	out := t.TempDir()
	m := &Manifest{Path: "rootfs.manifest", Format: format}
	m.Describe(testImage)
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	if err := m.Write(context.Background(), &Env{RootDir: root, OutDir: out, DebDigest: debs}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "rootfs.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "rootfs.manifest.sha256")); err != nil {
		t.Errorf("no .sha256 beside the manifest: %v", err)
	}
	return b
}

func TestManifestText(t *testing.T) {
	got := string(writeManifest(t, manifestRoot(t), "text", nil))
	want := "bash\t5.2.15-2+b7\nlibc6:amd64\t2.36-9+deb12u7\nperl-base\t1:5.36.0-7+deb12u1\n"
	if got != want {
		t.Errorf("text manifest:\n%q\nwant\n%q", got, want)
	}
}

func fakeDebs(_ context.Context, name, version, arch string) (string, error) {
	if name == "bash" {
		return "", nil // a package the archive does not list
	}
	return strings.Repeat("ab", 32), nil
}

// TestManifestSPDX checks the document's content, reads it with the SPDX
// project's own Go library (tools-golang: its 2.3 model and its
// relationship validation), validates every license expression against
// the SPDX license list (go-spdx) and checks it is reproducible under
// SOURCE_DATE_EPOCH.
func TestManifestSPDX(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	root := manifestRoot(t)
	data := writeManifest(t, root, "spdx-json", fakeDebs)
	spdxschema.Validate(t, data)
	if again := writeManifest(t, root, "spdx-json", fakeDebs); !bytes.Equal(data, again) {
		t.Error("two documents of the same root differ under SOURCE_DATE_EPOCH")
	}
	for _, s := range []string{
		`"spdxVersion": "SPDX-2.3"`, `"created": "2023-11-14T22:13:20Z"`,
		`"referenceLocator": "pkg:deb/debian/perl-base@1%3A5.36.0-7%2Bdeb12u1?arch=amd64"`,
		`"supplier": "Person: GNU Libc Maintainers (debian-glibc@lists.debian.org)"`,
		`"sourceInfo": "built package from: perl 5.36.0-7+deb12u1"`, `"sourceInfo": "built package from: glibc 2.36-9+deb12u7"`,
		`"licenseDeclared": "(Artistic-1.0-Perl OR GPL-1.0-or-later) AND (GPL-1.0-or-later OR Artistic-1.0) AND LicenseRef-public-domain"`,
		`"packageFileName": "perl-base_5.36.0-7+deb12u1_amd64.deb"`,
		`"summary": "debian bookworm amd64 image (distribution debian, suite bookworm, architecture amd64)"`,
	} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("document lacks %s", s)
		}
	}
	doc, err := spdxjson.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("tools-golang cannot read the document: %v", err)
	}
	if err := spdxlib.ValidateDocument(doc); err != nil {
		t.Errorf("tools-golang: %v", err)
	}
	if len(doc.Packages) != 4 || doc.Packages[1].PackageName != "bash" || doc.Packages[1].PackageLicenseDeclared != "NOASSERTION" ||
		len(doc.Packages[1].PackageChecksums) != 0 || doc.Packages[2].PackageChecksums[0].Value != strings.Repeat("ab", 32) {
		t.Errorf("packages as tools-golang reads them: %+v", doc.Packages)
	}
	checkLicenses(t, data)
}

var licenseRefRE = regexp.MustCompile(`LicenseRef-[A-Za-z0-9.-]+`)

// checkLicenses validates every declared license expression, with the
// document's own LicenseRefs, against the SPDX license list.
func checkLicenses(t *testing.T, data []byte) {
	var doc struct {
		Packages  []struct{ LicenseDeclared string }
		Extracted []struct{ LicenseID string } `json:"hasExtractedLicensingInfos"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, e := range doc.Extracted {
		refs[e.LicenseID] = true
	}
	for _, p := range doc.Packages {
		if p.LicenseDeclared == "NOASSERTION" {
			continue
		}
		for _, ref := range licenseRefRE.FindAllString(p.LicenseDeclared, -1) {
			if !refs[ref] {
				t.Errorf("%s has no hasExtractedLicensingInfos entry", ref)
			}
		}
		expr := licenseRefRE.ReplaceAllString(p.LicenseDeclared, "MIT") // go-spdx knows no LicenseRefs
		if ok, bad := spdxexp.ValidateLicenses([]string{expr}); !ok {
			t.Errorf("invalid SPDX license expression %q: %v", p.LicenseDeclared, bad)
		}
	}
}

func TestManifestWithoutDpkg(t *testing.T) {
	m := &Manifest{Path: "m", Format: "text"}
	err := m.Write(context.Background(), &Env{RootDir: t.TempDir(), OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "the image has no dpkg database (/var/lib/dpkg/status)") {
		t.Errorf("root without dpkg: %v", err)
	}
	if err := (&Manifest{Path: "m", Format: "cyclonedx"}).Check(); err == nil || !strings.Contains(err.Error(), "text, spdx-json") {
		t.Errorf("bad format: %v", err)
	}
}
