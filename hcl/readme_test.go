package hcl

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestReadmeDescribesBlocks checks the README's hand-written tables of the
// blocks this package owns (bootstrap, publish) against their gohcl tags,
// so a new attribute cannot go undocumented. The step and output kinds
// are generated (hcl/gendoc) and checked there.
func TestReadmeDescribesBlocks(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for heading, v := range map[string]any{"### bootstrap\n": bootstrapBlock{}, "### publish\n": Publish{}} {
		i := strings.Index(readme, heading)
		if i < 0 {
			t.Errorf("README.md has no %q section", strings.TrimSpace(heading))
			continue
		}
		section := readme[i+len(heading):]
		section = section[:strings.Index(section, "\n### ")]
		rt := reflect.TypeOf(v)
		for j := 0; j < rt.NumField(); j++ {
			name, _, _ := strings.Cut(rt.Field(j).Tag.Get("hcl"), ",")
			if name != "" && !strings.Contains(section, "| `"+name+"` |") {
				t.Errorf("README.md %s: no row for %s", strings.TrimSpace(heading), name)
			}
		}
	}
}
