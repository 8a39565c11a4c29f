package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	fmtMessy   = "image \"x\" {\n  version=\"1\" # kept\n}\n"
	fmtTidy    = "image \"x\" {\n  version = \"1\" # kept\n}\n"
	fmtInvalid = "image \"x\" {\n  version = \n"
)

// fmtTree writes a folder of definitions: one messy, one tidy, one
// messy below it.
func fmtTree(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for name, src := range map[string]string{"a.hcl": fmtMessy, "b.hcl": fmtTidy, "sub/c.hcl": fmtMessy} {
		p := filepath.Join(d, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func readString(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFmtCheckChangesNothing(t *testing.T) {
	d := fmtTree(t)
	code, out, e := runCLI("fmt", "-check", "-recursive", d)
	a, c := filepath.Join(d, "a.hcl"), filepath.Join(d, "sub/c.hcl")
	if code != exitUnformatted || out != a+"\n"+c+"\n" {
		t.Errorf("fmt -check: code %d, stdout %q, stderr %q", code, out, e)
	}
	if readString(t, a) != fmtMessy {
		t.Error("fmt -check rewrote a file")
	}
	code, out, _ = runCLI("fmt", "-check", filepath.Join(d, "b.hcl"))
	if code != exitOK || out != "" {
		t.Errorf("fmt -check on a tidy file: code %d, stdout %q", code, out)
	}
}

func TestFmtWritesAndDiffs(t *testing.T) {
	d := fmtTree(t)
	code, out, e := runCLI("fmt", "-diff", d)
	a := filepath.Join(d, "a.hcl")
	if code != exitOK || !strings.HasPrefix(out, a+"\n--- a/"+a+"\n+++ b/"+a+"\n@@ -1,3 +1,3 @@\n") ||
		!strings.Contains(out, "\n-  version=\"1\" # kept\n+  version = \"1\" # kept\n") {
		t.Errorf("fmt -diff: code %d, stdout %q, stderr %q", code, out, e)
	}
	if readString(t, a) != fmtTidy {
		t.Error("fmt did not rewrite a.hcl")
	}
	if readString(t, filepath.Join(d, "sub/c.hcl")) != fmtMessy {
		t.Error("fmt without -recursive rewrote sub/c.hcl")
	}
	if code, out, _ := runCLI("fmt", "-check", d); code != exitOK || out != "" {
		t.Errorf("second pass: code %d, stdout %q", code, out)
	}
}

// TestFmtInvalidLeftUntouched: a file that does not parse gets its
// diagnostic and keeps its bytes; the other files are still formatted.
func TestFmtInvalidLeftUntouched(t *testing.T) {
	d := fmtTree(t)
	bad := filepath.Join(d, "bad.hcl")
	if err := os.WriteFile(bad, []byte(fmtInvalid), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e := runCLI("fmt", d)
	if code != exitFail || !strings.Contains(e, bad+":2:") || !strings.Contains(e, "not valid HCL, left as it is") {
		t.Errorf("invalid file: code %d, stderr %q", code, e)
	}
	if readString(t, bad) != fmtInvalid {
		t.Error("the invalid file was changed")
	}
	if readString(t, filepath.Join(d, "a.hcl")) != fmtTidy {
		t.Error("a valid file beside the invalid one was not formatted")
	}
	if code, _, e := runCLI("fmt", filepath.Join(d, "missing.hcl")); code != exitFail || !strings.Contains(e, "missing.hcl") {
		t.Errorf("missing file: code %d, stderr %q", code, e)
	}
}

func TestFmtStdin(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader(fmtMessy)
	if code, out, _ := runCLI("fmt", "-"); code != exitOK || out != fmtTidy {
		t.Errorf("fmt -: code %d, stdout %q", code, out)
	}
	stdin = strings.NewReader(fmtMessy)
	if code, out, _ := runCLI("fmt", "-check", "-"); code != exitUnformatted || out != "" {
		t.Errorf("fmt -check -: code %d, stdout %q", code, out)
	}
}

// TestRepositoryDefinitionsFormatted is CI's fmt check as a test.
func TestRepositoryDefinitionsFormatted(t *testing.T) {
	code, out, e := runCLI("fmt", "-check", "-recursive", "../../images", "../../examples", "../../bench")
	if code != exitOK {
		t.Errorf("definitions not formatted (run chrootbuild fmt -recursive): %s%s", out, e)
	}
}
