package cachedir

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEmptyPackages fills every package folder (indices included) and the
// step cache, and checks that EmptyPackages removes the first and keeps
// the second.
func TestEmptyPackages(t *testing.T) {
	d := Dir(t.TempDir())
	for _, p := range d.PackageDirs() {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(p, "f"), make([]byte, 100), 0o644)
	}
	os.MkdirAll(d.Steps(), 0o755)
	size, err := d.EmptyPackages()
	if err != nil || size != 400 {
		t.Fatalf("EmptyPackages = %d, %v; want 400 bytes freed", size, err)
	}
	for _, p := range append(d.PackageDirs(), d.Index()) {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s remains", p)
		}
	}
	if _, err := os.Stat(d.Steps()); err != nil {
		t.Errorf("the step cache went too: %v", err)
	}
	if Or("") != Default || Or("/x").Steps() != "/x/steps" {
		t.Error("Or does not default to Default")
	}
}
