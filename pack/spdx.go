package pack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/dpkg"
	"github.com/chrootbuild/chrootbuild/internal/epoch"
)

// spdxDoc is an SPDX 2.3 JSON document, fields in the specification's
// order.
type spdxDoc struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      spdxCreation       `json:"creationInfo"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
	ExtractedLicenses []spdxExtracted    `json:"hasExtractedLicensingInfos,omitempty"`
}

type spdxCreation struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	SPDXID           string         `json:"SPDXID"`
	Name             string         `json:"name"`
	VersionInfo      string         `json:"versionInfo,omitempty"`
	PackageFileName  string         `json:"packageFileName,omitempty"`
	Supplier         string         `json:"supplier,omitempty"`
	DownloadLocation string         `json:"downloadLocation"`
	FilesAnalyzed    bool           `json:"filesAnalyzed"`
	Checksums        []spdxChecksum `json:"checksums,omitempty"`
	SourceInfo       string         `json:"sourceInfo,omitempty"`
	LicenseConcluded string         `json:"licenseConcluded"`
	LicenseDeclared  string         `json:"licenseDeclared"`
	CopyrightText    string         `json:"copyrightText"`
	Summary          string         `json:"summary,omitempty"`
	Description      string         `json:"description,omitempty"`
	ExternalRefs     []spdxRef      `json:"externalRefs,omitempty"`
	Purpose          string         `json:"primaryPackagePurpose,omitempty"`
}

type spdxChecksum struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"checksumValue"`
}

type spdxRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxRelationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

type spdxExtracted struct {
	LicenseID string `json:"licenseId"`
	Text      string `json:"extractedText"`
	Name      string `json:"name"`
}

const noAssertion = "NOASSERTION"

// spdxDocument describes the image and its packages as SPDX 2.3 JSON.
func spdxDocument(ctx context.Context, env *Env, img ImageInfo, pkgs []dpkg.Package) ([]byte, error) {
	created, err := spdxCreated()
	if err != nil {
		return nil, err
	}
	root, err := chroot.Open(env.RootDir)
	if err != nil {
		return nil, err
	}
	doc := &spdxDoc{SPDXVersion: "SPDX-2.3", DataLicense: "CC0-1.0", SPDXID: "SPDXRef-DOCUMENT",
		Name:          strings.Trim(img.Name+"-"+img.Version, "-"),
		CreationInfo:  spdxCreation{Created: created, Creators: []string{"Tool: chrootbuild"}},
		Packages:      []spdxPackage{imagePackage(img)},
		Relationships: []spdxRelationship{{"SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"}}}
	licenses := &licenseRefs{names: map[string]string{}}
	ids := map[string]bool{}
	for _, p := range pkgs {
		sp, err := debPackage(ctx, env, root, img, p, licenses)
		if err != nil {
			return nil, err
		}
		sp.SPDXID = uniqueID(ids, "SPDXRef-Package-deb-"+p.Name+"-"+p.Architecture)
		doc.Packages = append(doc.Packages, sp)
		doc.Relationships = append(doc.Relationships, spdxRelationship{"SPDXRef-Image", "CONTAINS", sp.SPDXID})
	}
	doc.ExtractedLicenses = licenses.extracted()
	doc.DocumentNamespace = namespace(img, doc)
	return json.MarshalIndent(doc, "", "  ")
}

// spdxCreated is SOURCE_DATE_EPOCH, else now, in SPDX's UTC form.
func spdxCreated() (string, error) {
	t, err := epoch.Now()
	if err != nil {
		return "", err
	}
	return t.Format("2006-01-02T15:04:05Z"), nil
}

// imagePackage is the package standing for the image itself.
func imagePackage(img ImageInfo) spdxPackage {
	return spdxPackage{SPDXID: "SPDXRef-Image", Name: img.Name, VersionInfo: img.Version,
		DownloadLocation: noAssertion, LicenseConcluded: noAssertion, LicenseDeclared: noAssertion,
		CopyrightText: noAssertion, Purpose: "OPERATING_SYSTEM", Description: img.Description,
		Summary: fmt.Sprintf("%s %s %s image (distribution %s, suite %s, architecture %s)",
			img.Name, img.Version, img.Arch, img.Distribution, img.Suite, img.Arch)}
}

// debPackage describes one installed binary package.
func debPackage(ctx context.Context, env *Env, root *chroot.Root, img ImageInfo, p dpkg.Package, l *licenseRefs) (spdxPackage, error) {
	sp := spdxPackage{Name: p.Name, VersionInfo: p.Version, DownloadLocation: noAssertion,
		LicenseConcluded: noAssertion, LicenseDeclared: l.declared(root, p.Name), CopyrightText: noAssertion,
		SourceInfo:   "built package from: " + strings.TrimSpace(p.Source+" "+or(p.SourceVer, p.Version)),
		ExternalRefs: []spdxRef{{"PACKAGE-MANAGER", "purl", debPURL(img.Distribution, p)}}}
	if p.Maintainer != "" {
		sp.Supplier = "Person: " + supplier(p.Maintainer)
	}
	if env.DebDigest != nil {
		sum, err := env.DebDigest(ctx, p.Name, p.Version, p.Architecture)
		if err != nil {
			return sp, fmt.Errorf("finding the .deb of %s %s: %w", p.Name, p.Version, err)
		}
		if sum != "" {
			sp.Checksums = []spdxChecksum{{"SHA256", sum}}
			_, v, ok := strings.Cut(p.Version, ":")
			sp.PackageFileName = p.Name + "_" + map[bool]string{true: v, false: p.Version}[ok] + "_" + p.Architecture + ".deb"
		}
	}
	return sp, nil
}

// supplier turns "Name <mail>" into SPDX's "Name (mail)".
func supplier(m string) string {
	name, mail, ok := strings.Cut(m, "<")
	if !ok {
		return strings.TrimSpace(m)
	}
	return strings.TrimSpace(name) + " (" + strings.TrimSuffix(strings.TrimSpace(mail), ">") + ")"
}

// debPURL is pkg:deb/DISTRIBUTION/NAME@VERSION?arch=ARCH, the version
// percent-encoded as the purl specification asks (+ is %2B, : is %3A).
func debPURL(distribution string, p dpkg.Package) string {
	return fmt.Sprintf("pkg:deb/%s/%s@%s?arch=%s", distribution, purlEscape(p.Name), purlEscape(p.Version), p.Architecture)
}

func purlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".-_~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

var idUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]`)

// uniqueID makes an SPDX identifier of s (letters, digits, . and -),
// numbered when another package took it.
func uniqueID(seen map[string]bool, s string) string {
	id := idUnsafe.ReplaceAllString(s, "-")
	for i := 2; seen[id]; i++ {
		id = fmt.Sprintf("%s-%d", idUnsafe.ReplaceAllString(s, "-"), i)
	}
	seen[id] = true
	return id
}

// namespace is the document's unique URI: the image and a digest of the
// document's content, so that two documents share it only when equal.
func namespace(img ImageInfo, doc *spdxDoc) string {
	b, _ := json.Marshal(doc)
	sum := sha256.Sum256(b)
	return fmt.Sprintf("https://chrootbuild.invalid/spdx/%s-%s-%s-%s", idUnsafe.ReplaceAllString(img.Name, "-"),
		idUnsafe.ReplaceAllString(img.Version, "-"), img.Arch, hex.EncodeToString(sum[:16]))
}
