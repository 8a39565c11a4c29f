package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/cachedir"
)

// TestCleanPackages checks that clean --packages empties every folder of
// the package cache, parsed indices included, and keeps the step cache.
func TestCleanPackages(t *testing.T) {
	dir := cachedir.Dir(t.TempDir())
	for _, p := range dir.PackageDirs() {
		os.MkdirAll(p, 0o755)
		os.WriteFile(filepath.Join(p, "entry"), []byte("x"), 0o644)
	}
	code, out, errOut := runCLI("clean", "--packages", "--cache-dir", string(dir))
	if code != exitOK || !strings.Contains(out, "emptied package cache") {
		t.Fatalf("clean --packages exited %d: %s%s", code, out, errOut)
	}
	for _, p := range dir.PackageDirs() {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s remains after clean --packages", p)
		}
	}
	if _, err := os.Stat(dir.Steps()); err != nil {
		t.Errorf("the step cache is gone: %v", err)
	}
}
