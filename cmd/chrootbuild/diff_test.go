package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffExitCodes: 0 equal, 1 different, 2 on error, as diff(1).
func TestDiffExitCodes(t *testing.T) {
	d := t.TempDir()
	a, b, c := filepath.Join(d, "a.manifest"), filepath.Join(d, "b.manifest"), filepath.Join(d, "c.manifest")
	write(t, a, "bash\t5.2.15-2+b7\n")
	write(t, b, "bash\t5.2.15-2+b7\n")
	write(t, c, "bash\t5.2.15-2+b8\n")
	if code, out, e := runCLI("diff", a, b); code != exitOK || out != "summary: no differences\n" {
		t.Errorf("equal: code %d, %q %q", code, out, e)
	}
	code, out, _ := runCLI("diff", a, c)
	if code != exitFail || !strings.Contains(out, "  ^ bash 5.2.15-2+b7 -> 5.2.15-2+b8\n") {
		t.Errorf("different: code %d, %q", code, out)
	}
	code, out, _ = runCLI("diff", "--json", c, a)
	var r struct {
		Equal    bool
		Packages struct {
			Downgraded []struct{ Name, Old, New string }
		}
	}
	if err := json.Unmarshal([]byte(out), &r); code != exitFail || err != nil || r.Equal || len(r.Packages.Downgraded) != 1 {
		t.Errorf("--json: code %d, %v, %s", code, err, out)
	}
	if code, out, e := runCLI("diff", d, a); code != exitDiffError || out != "" || !strings.Contains(e, "give two images") {
		t.Errorf("root and manifest: code %d, %q, %q", code, out, e)
	}
	if code, _, _ := runCLI("diff", a); code != exitUsage {
		t.Errorf("one argument: code %d", code)
	}
}
