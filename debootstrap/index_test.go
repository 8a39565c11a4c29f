package debootstrap

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const sampleIndex = `Package: dash
Version: 0.5.12-2
Architecture: amd64
Essential: yes
Priority: required
Pre-Depends: libc6 (>= 2.34)
Description: POSIX shell
 with a continuation line
Filename: pool/main/d/dash/dash_0.5.12-2_amd64.deb
Size: 94052
SHA256: 0000000000000000000000000000000000000000000000000000000000000001

Package: mawk
Version: 1.3.4
Architecture: amd64
Priority: required
Provides: awk
Filename: pool/main/m/mawk/mawk_1.3.4_amd64.deb
Size: 1
SHA256: 0000000000000000000000000000000000000000000000000000000000000002
`

func TestParsePackagesAndCache(t *testing.T) {
	pkgs, err := parsePackages(strings.NewReader(sampleIndex))
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{
		{Name: "dash", Version: "0.5.12-2", Arch: "amd64", Priority: "required", Essential: true,
			PreDepends: "libc6 (>= 2.34)", Filename: "pool/main/d/dash/dash_0.5.12-2_amd64.deb", Size: 94052,
			SHA256: "0000000000000000000000000000000000000000000000000000000000000001"},
		{Name: "mawk", Version: "1.3.4", Arch: "amd64", Priority: "required", Provides: "awk",
			Filename: "pool/main/m/mawk/mawk_1.3.4_amd64.deb", Size: 1,
			SHA256: "0000000000000000000000000000000000000000000000000000000000000002"},
	}
	if !reflect.DeepEqual(pkgs, want) {
		t.Fatalf("parsed %+v\nwant %+v", pkgs, want)
	}
	p := filepath.Join(t.TempDir(), "index", "x.gob3")
	writeParsed(p, pkgs)
	back, err := readParsed(p)
	if err != nil || !reflect.DeepEqual(back, want) {
		t.Errorf("cached index read back as %+v, %v", back, err)
	}
}

func TestParsePackagesRejectsIncompleteStanza(t *testing.T) {
	_, err := parsePackages(strings.NewReader("Package: x\nVersion: 1\n"))
	if err == nil || !strings.Contains(err.Error(), "stanza 1: missing Package, Filename or SHA256") {
		t.Errorf("got %v", err)
	}
}
