package hclfmt

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

const messy = `# the image
image "x" {
  version="1"   # inline comment
  bootstrap {
      suite = "bookworm"
    include = ["a","b"]
  }
  /* block
     comment */
  provision "hostname" { name = "h" }
}
`

const tidy = `# the image
image "x" {
  version = "1" # inline comment
  bootstrap {
    suite   = "bookworm"
    include = ["a", "b"]
  }
  /* block
     comment */
  provision "hostname" { name = "h" }
}
`

func TestSourceLayoutAndComments(t *testing.T) {
	out, _, diags := Source([]byte(messy), "x.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if string(out) != tidy {
		t.Errorf("formatted:\n%s\nwant:\n%s", out, tidy)
	}
	again, _, _ := Source(out, "x.hcl")
	if !bytes.Equal(again, out) {
		t.Errorf("not idempotent:\n%s", again)
	}
}

func TestSourceInvalid(t *testing.T) {
	out, f, diags := Source([]byte("image \"x\" {\n  version = \n"), "bad.hcl")
	if !diags.HasErrors() || out != nil || f == nil {
		t.Fatalf("invalid HCL: out %q, diags %v", out, diags)
	}
	if s := diags[0].Subject; s == nil || s.Filename != "bad.hcl" {
		t.Errorf("diagnostic without the file: %v", diags[0])
	}
}

// TestRepositoryDefinitionsIdempotent formats every definition of the
// repository twice: the second pass must change nothing.
func TestRepositoryDefinitionsIdempotent(t *testing.T) {
	files, err := Files([]string{"../.."}, true)
	if err != nil || len(files) < 20 {
		t.Fatalf("found %d definitions: %v", len(files), err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		once, _, diags := Source(src, name)
		if diags.HasErrors() {
			continue // the deliberate syntax errors of hcl/testdata/invalid
		}
		if twice, _, _ := Source(once, name); !bytes.Equal(once, twice) {
			t.Errorf("%s: a second format changes it", name)
		}
	}
}

// TestDiffAppliesWithPatch applies Diff's output with GNU patch, also to a
// file without a final newline.
func TestDiffAppliesWithPatch(t *testing.T) {
	patch := testenv.RequireTool(t, "patch")
	for _, tc := range []struct{ old, new string }{
		{messy, tidy},
		{strings.TrimSuffix(messy, "\n"), tidy},
	} {
		dir := t.TempDir()
		name := filepath.Join(dir, "x.hcl")
		if err := os.WriteFile(name, []byte(tc.old), 0o644); err != nil {
			t.Fatal(err)
		}
		d := Diff("x.hcl", []byte(tc.old), []byte(tc.new))
		if !strings.HasPrefix(d, "--- a/x.hcl\n+++ b/x.hcl\n@@ ") {
			t.Fatalf("diff header:\n%s", d)
		}
		cmd := exec.Command(patch, "-p1", "-s")
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s\n%s", err, out, d)
		}
		if got, _ := os.ReadFile(name); string(got) != tc.new {
			t.Errorf("patched file:\n%q\nwant\n%q", got, tc.new)
		}
	}
	if d := Diff("x.hcl", []byte(tidy), []byte(tidy)); d != "" {
		t.Errorf("diff of equal files: %q", d)
	}
}
