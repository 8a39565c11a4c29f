package pack

import (
	"slices"
	"testing"
)

// TestProducts pins what each registered kind declares it produces: a new
// kind must be placed here on purpose.
func TestProducts(t *testing.T) {
	want := map[string]Product{
		"tar": ProductRootArchive, "squashfs": ProductFile, "cpio": ProductFile, "ext4": ProductFile,
		"directory": ProductFolder, "device": ProductDevice, "manifest": ProductFile,
	}
	for _, k := range Kinds() {
		o, _ := New(k)
		if got, ok := want[k]; !ok || ProductOf(o) != got {
			t.Errorf("kind %s produces %s, want %s", k, ProductOf(o), got)
		}
	}
	if xz := (&Tar{Path: "r.tar.xz", Compression: "xz"}); ProductOf(xz) != ProductFile {
		t.Errorf("an xz tar (release cannot read it) is a %s", ProductOf(xz))
	}
	if spdx := (&Manifest{Path: "sbom.spdx.json", Format: "spdx-json"}); ProductOf(spdx) != ProductSBOM {
		t.Errorf("an SPDX manifest is a %s", ProductOf(spdx))
	}
	if got := Compressions("cpio"); !slices.Equal(got, []string{"none", "gzip", "zstd"}) {
		t.Errorf("Compressions(cpio) = %v", got)
	}
	if Compressions("ext4") != nil || Compressions("nope") != nil {
		t.Error("a kind without compression lists some")
	}
}
