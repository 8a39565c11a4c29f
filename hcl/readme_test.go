package hcl

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
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

// TestReadmeSnippetsLoad loads every hcl snippet of README.md and
// images/README.md, so the documentation cannot drift from the language:
// a whole definition as it is, a step or output block inside a minimal
// image, and top-level variables and locals beside one. Each snippet must
// load without a diagnostic, and a wrapped step or output must decode as
// that kind.
func TestReadmeSnippetsLoad(t *testing.T) {
	n := 0
	for _, doc := range []string{"../README.md", "../images/README.md"} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range hclSnippets(string(b)) {
			n++
			t.Run(fmt.Sprintf("%s:%d", filepath.Base(doc), s.line), func(t *testing.T) {
				src, steps, outputs := wrapSnippet(s.text)
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "image.hcl"), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				img := load(t, dir, LoadOptions{})
				if len(img.Steps) < steps || len(img.Outputs) < outputs {
					t.Errorf("%d steps and %d outputs decoded, want %d and %d:\n%s", len(img.Steps), len(img.Outputs), steps, outputs, src)
				}
			})
		}
	}
	if n < 20 {
		t.Fatalf("only %d hcl snippets found in the READMEs", n)
	}
	// The form the README once had: HCL allows one argument in a
	// one-line block.
	src, _, _ := wrapSnippet(`output "tar" { path = "rootfs.tar.zst", compression = "zstd" }` + "\n")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "image.hcl"), []byte(src), 0o644)
	if _, diags := Load(dir, LoadOptions{Env: []string{}}); !diags.HasErrors() {
		t.Error("a one-line block with two arguments loaded")
	}
}

type snippet struct {
	line int // of the opening fence
	text string
}

// hclSnippets returns the ```hcl blocks of a Markdown document.
func hclSnippets(doc string) []snippet {
	var out []snippet
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```hcl" {
			continue
		}
		start := i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		out = append(out, snippet{line: start + 1, text: strings.Join(body, "\n") + "\n"})
	}
	return out
}

var blockStart = regexp.MustCompile(`(?m)^(image|provision|output|variable|locals)\b`)

// wrapSnippet makes a loadable definition of a snippet and says how many
// steps and outputs it must decode into.
func wrapSnippet(text string) (src string, steps, outputs int) {
	const minimal = "image \"readme\" {\n  bootstrap {\n    suite = \"bookworm\"\n  }\n%s}\n"
	kinds := blockStart.FindAllString(text, -1)
	switch {
	case slices.Contains(kinds, "image"):
		return text, 0, 0
	case len(kinds) > 0 && (kinds[0] == "provision" || kinds[0] == "output"):
		for _, k := range kinds {
			if k == "provision" {
				steps++
			} else {
				outputs++
			}
		}
		return fmt.Sprintf(minimal, text), steps, outputs
	}
	if !strings.Contains(text, "variable \"suite\"") {
		text += "variable \"suite\" {\n  default = \"bookworm\"\n}\n"
	}
	return text + fmt.Sprintf(minimal, ""), 0, 0
}
