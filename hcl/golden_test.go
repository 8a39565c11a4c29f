package hcl

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/invalid")

// TestInvalidGolden loads every testdata/invalid/*.hcl and compares the
// printed diagnostics (file:line:col, source line, caret, message) with
// the .golden file beside it. Regenerate with: go test ./hcl -run Golden -update
func TestInvalidGolden(t *testing.T) {
	names, err := filepath.Glob("testdata/invalid/*.hcl")
	if err != nil || len(names) == 0 {
		t.Fatalf("no invalid definitions found: %v", err)
	}
	for _, name := range names {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".hcl"), func(t *testing.T) {
			golden, err := filepath.Abs(strings.TrimSuffix(name, ".hcl") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			got := loadDiagText(t, "testdata/invalid", filepath.Base(name))
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("diagnostics differ from %s (run with -update if the change is right)\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// loadDiagText loads name from inside dir, so that file names in the
// output are relative and the golden files hold no machine paths, and
// returns the printed diagnostics. Loading must fail.
func loadDiagText(t *testing.T, dir, name string) []byte {
	t.Helper()
	t.Chdir(dir)
	l := NewLoader(LoadOptions{Env: []string{}})
	img, diags := l.Load(name)
	if !diags.HasErrors() || img != nil {
		t.Fatalf("%s loaded without errors; an invalid example must fail", name)
	}
	var buf bytes.Buffer
	if err := l.WriteDiagnostics(&buf, diags, 0); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
