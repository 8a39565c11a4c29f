package pack

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/internal/spdxschema"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestManifestOfRealRoot writes the SPDX document of a real bookworm
// root with the archive's .deb checksums: every package gets the
// SHA-256 of a .deb the package cache holds under that digest, most
// packages a license, and tools-golang reads it.
func TestManifestOfRealRoot(t *testing.T) {
	if testenv.Short() {
		t.Skip("reads a bookworm root and the Debian mirror's Release")
	}
	root := testroot.Get(t)
	sums, err := debootstrap.DebDigests(context.Background(), debootstrap.Options{
		Distribution: "debian", Suite: "bookworm", Arch: "amd64", CacheDir: testroot.PackageCache})
	if err != nil {
		t.Fatal(err)
	}
	debs := func(_ context.Context, name, version, arch string) (string, error) {
		return sums[debootstrap.DebKey(name, version, arch)], nil
	}
	data := writeManifest(t, root, "spdx-json", debs)
	spdxschema.Validate(t, data)
	if _, err := spdxjson.Read(bytes.NewReader(data)); err != nil {
		t.Fatalf("tools-golang: %v", err)
	}
	var doc struct {
		Packages []struct {
			Name, LicenseDeclared string
			Checksums             []struct{ ChecksumValue string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	licensed := 0
	for _, p := range doc.Packages[1:] {
		if p.LicenseDeclared != "NOASSERTION" {
			licensed++
		}
		if len(p.Checksums) != 1 {
			t.Errorf("%s: no .deb checksum", p.Name)
			continue
		}
		sum := p.Checksums[0].ChecksumValue
		if _, err := os.Stat(filepath.Join(testroot.PackageCache, "sha256", sum[:2], sum)); err != nil {
			t.Errorf("%s: the package cache holds no .deb with SHA-256 %s", p.Name, sum)
		}
	}
	t.Logf("%d packages, %d with a machine-readable license", len(doc.Packages)-1, licensed)
	if licensed < (len(doc.Packages)-1)/2 {
		t.Errorf("only %d of %d packages have a license", licensed, len(doc.Packages)-1)
	}
	checkLicenses(t, data)
}
