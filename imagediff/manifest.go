package imagediff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// readManifest reads a package manifest: an SPDX JSON document when it
// starts with "{", else NAME<TAB>VERSION lines.
func (img *Image) readManifest(r *bufio.Reader) error {
	for {
		c, _, err := r.ReadRune()
		if err != nil {
			return fmt.Errorf("%s is empty: %s", img.Path, expected)
		}
		if !strings.ContainsRune(" \t\r\n", c) {
			r.UnreadRune()
			if c == '{' {
				return img.readSPDX(r)
			}
			return img.readTextManifest(r)
		}
	}
}

// readTextManifest reads NAME<TAB>VERSION lines (any blanks between),
// as dpkg-query -W and Debian's and Ubuntu's image manifests write them.
func (img *Image) readTextManifest(r io.Reader) error {
	sc := bufio.NewScanner(r)
	var pkgs []pkgEntry
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !utf8.ValidString(line) || strings.ContainsRune(line, 0) {
			return fmt.Errorf("%s is binary data%s, not a tar: %s", img.Path, binaryKind(line), expected)
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return fmt.Errorf("%s:%d: %q is not NAME<TAB>VERSION: %s", img.Path, n, shorten(line), expected)
		}
		name, arch, _ := strings.Cut(f[0], ":")
		pkgs = append(pkgs, pkgEntry{name, arch, f[1]})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w: %s", img.Path, err, expected)
	}
	img.Packages = packageIndex(pkgs)
	return nil
}

// spdxDoc is the part of an SPDX 2.3 JSON document read here.
type spdxDoc struct {
	SPDXVersion string `json:"spdxVersion"`
	Packages    []struct {
		Name         string `json:"name"`
		VersionInfo  string `json:"versionInfo"`
		ExternalRefs []struct {
			Type    string `json:"referenceType"`
			Locator string `json:"referenceLocator"`
		} `json:"externalRefs"`
	} `json:"packages"`
}

// readSPDX reads the Debian packages of an SPDX JSON document: those
// with a pkg:deb package URL.
func (img *Image) readSPDX(r io.Reader) error {
	var doc spdxDoc
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return fmt.Errorf("reading %s as SPDX JSON: %w", img.Path, err)
	}
	if !strings.HasPrefix(doc.SPDXVersion, "SPDX-") {
		return fmt.Errorf("%s is JSON but not an SPDX document (no spdxVersion): %s", img.Path, expected)
	}
	var pkgs []pkgEntry
	for _, p := range doc.Packages {
		for _, ref := range p.ExternalRefs {
			if ref.Type == "purl" && strings.HasPrefix(ref.Locator, "pkg:deb/") {
				pkgs = append(pkgs, pkgEntry{p.Name, purlArch(ref.Locator), p.VersionInfo})
				break
			}
		}
	}
	img.Packages = packageIndex(pkgs)
	return nil
}

// purlArch is the arch qualifier of a package URL.
func purlArch(purl string) string {
	_, q, _ := strings.Cut(purl, "?")
	for _, kv := range strings.Split(q, "&") {
		if v, ok := strings.CutPrefix(kv, "arch="); ok {
			return v
		}
	}
	return ""
}

// binaryKind names the image formats diff does not read, by their magic.
func binaryKind(head string) string {
	switch {
	case strings.HasPrefix(head, "hsqs"):
		return " (a squashfs image: compare the tar, or unsquashfs it and compare the folder)"
	case strings.HasPrefix(head, "070701"), strings.HasPrefix(head, "070702"):
		return " (a cpio archive: unpack it and compare the folder)"
	}
	return ""
}

func shorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
