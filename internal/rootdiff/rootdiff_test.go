package rootdiff

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareSkipsOnlyIgnored builds two small roots that differ in one
// file's content, one file's mode, a file on one side only and an ignored
// file, and checks each difference but the ignored one is reported.
func TestCompareSkipsOnlyIgnored(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write := func(root, name, data string, mode os.FileMode) {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
	}
	write(a, "etc/same", "x", 0o644)
	write(b, "etc/same", "x", 0o644)
	write(a, "etc/content", "one", 0o644)
	write(b, "etc/content", "two", 0o644)
	write(a, "etc/mode", "m", 0o644)
	write(b, "etc/mode", "m", 0o600)
	write(b, "etc/extra", "e", 0o644)
	write(a, "etc/machine-id", "1", 0o444)
	write(b, "etc/machine-id", "2", 0o444)
	diffs, err := Compare(context.Background(), a, b, []string{"etc/machine-id"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(diffs, "\n")
	for _, want := range []string{"/etc/content:", "/etc/mode:", "/etc/extra: only in"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	if len(diffs) != 3 || strings.Contains(got, "machine-id") || strings.Contains(got, "same") {
		t.Errorf("differences:\n%s", got)
	}
}
