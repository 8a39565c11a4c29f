package images_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/spdxschema"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestDebianManifests: the text manifest is what the image's own
// dpkg-query lists, and the SPDX document gives every package the
// SHA-256 of a .deb that the package cache holds under that very digest
// (the bootstrap fetched and verified it).
func TestDebianManifests(t *testing.T) {
	b := debianImage(t)
	text, err := os.ReadFile(filepath.Join(b.out, "rootfs.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	want := b.run(t, nil, "dpkg-query", "-W", "-f", "${binary:Package}\t${Version}\n")
	if string(text) != want {
		t.Errorf("rootfs.manifest differs from dpkg-query -W:\n%s\nwant\n%s", text, want)
	}
	data, err := os.ReadFile(filepath.Join(b.out, "rootfs.spdx.json"))
	if err != nil {
		t.Fatal(err)
	}
	spdxschema.Validate(t, data)
	var doc struct {
		Packages []struct {
			Name      string
			Checksums []struct{ ChecksumValue string }
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range doc.Packages[1:] { // the first is the image
		if len(p.Checksums) != 1 {
			t.Errorf("package %s has no .deb checksum", p.Name)
			continue
		}
		sum := p.Checksums[0].ChecksumValue
		if _, err := os.Stat(filepath.Join(testroot.PackageCache, "sha256", sum[:2], sum)); err == nil {
			n++
		}
	}
	if n != len(doc.Packages)-1 {
		t.Errorf("%d of %d .debs found in the package cache under their SPDX checksum", n, len(doc.Packages)-1)
	}
}
