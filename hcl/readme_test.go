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

// TestReadmeExampleLoads loads the README's example definition: the first
// hcl block of "What it is" must be a valid definition.
func TestReadmeExampleLoads(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "## What it is")
	j := strings.Index(readme[i:], "```hcl\n")
	if i < 0 || j < 0 {
		t.Fatal("README.md has no example definition")
	}
	src := readme[i+j+len("```hcl\n"):]
	src = src[:strings.Index(src, "```")]
	name := t.TempDir() + "/example.hcl"
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	img := load(t, name, LoadOptions{})
	if img.Name != "debian" || len(img.Steps) != 5 || len(img.Outputs) != 2 {
		t.Errorf("example: %s, %d steps, %d outputs", img.Name, len(img.Steps), len(img.Outputs))
	}
}
