package hcl

import (
	"testing"
)

// TestBootstrapArchiveTrust loads allow_expired and trusted_in_image, and
// refuses trusted_in_image without insecure.
func TestBootstrapArchiveTrust(t *testing.T) {
	dir := writeDef(t, "image \"t\" {\n  bootstrap {\n    suite = \"bookworm\"\n    insecure = true\n"+
		"    allow_expired = true\n    trusted_in_image = true\n  }\n}\n")
	img := load(t, dir, LoadOptions{})
	if b := img.Bootstrap; !b.Insecure || !b.AllowExpired || !b.TrustedInImage {
		t.Errorf("bootstrap options %+v", b)
	}
	if p := img.Plan(); !p.Bootstrap.AllowExpired || !p.Bootstrap.TrustedInImage {
		t.Errorf("plan %+v", p.Bootstrap)
	}
	img = load(t, writeDef(t, minimalImage("")), LoadOptions{})
	if b := img.Bootstrap; b.AllowExpired || b.TrustedInImage {
		t.Errorf("defaults: %+v", b)
	}
	dir = writeDef(t, "image \"t\" {\n  bootstrap {\n    suite = \"bookworm\"\n    trusted_in_image = true\n  }\n}\n")
	wantDiag(t, dir, LoadOptions{}, "Invalid bootstrap block", "needs insecure = true", "image.hcl:2")
}
