package hcl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// unit is one definition (a folder's *.hcl files, or one file) while it
// is being loaded.
type unit struct {
	path   string // as given
	dir    string // its folder, as given: file names in ranges use it
	absDir string
	files  []string
	vars   []*variableBlock
	locals []*hcl.Block
	images []*hcl.Block
	// values are var.* and local.* once resolved.
	values    map[string]cty.Value
	localVals map[string]cty.Value
	varObj    cty.Value // var.* as one object, built once for the locals
	resolved  []Variable
	// valueRange is where each variable's value is written, if anywhere.
	valueRange  map[string]*hcl.Range
	valueSource map[string]string
	funcs       map[string]function.Function
	// secrets collects the sensitive texts met (the Loader's set).
	secrets secretSet
}

// varFileSuffix marks variable files (--var-file) kept beside a
// definition: they are not part of it.
const varFileSuffix = ".vars.hcl"

// definitionFiles lists the files of the definition at path: for a folder,
// image.hcl and every other *.hcl but *.vars.hcl.
func (l *Loader) definitionFiles(path string) ([]string, string, hcl.Diagnostics) {
	fi, err := l.stat(path)
	if err != nil {
		return nil, "", diagErr("Cannot read definition", fmt.Sprintf("reading %s: %v", path, unwrapPath(err)), nil)
	}
	if !fi.IsDir() {
		return []string{filepath.Clean(path)}, filepath.Dir(path), nil
	}
	if _, err := l.stat(filepath.Join(path, "image.hcl")); err != nil {
		return nil, "", diagErr("Missing image.hcl",
			fmt.Sprintf("The folder %s holds no image.hcl; a definition folder needs one.", path), nil)
	}
	names, err := filepath.Glob(filepath.Join(path, "*.hcl"))
	if err != nil {
		return nil, "", diagErr("Cannot read definition", fmt.Sprintf("listing %s: %v", path, err), nil)
	}
	defs := names[:0]
	for _, n := range names {
		if !strings.HasSuffix(n, varFileSuffix) {
			defs = append(defs, n)
		}
	}
	sort.Strings(defs)
	return defs, filepath.Clean(path), nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller names.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// topSchema is what a definition file may hold at its top level.
var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "image", LabelNames: []string{"name"}},
}}

// imageOnly are names that belong inside the image block; found at the
// top level they get a hint saying so.
var imageOnly = []string{"provision", "output", "bootstrap", "publish", "from", "version", "description"}

// parseUnit parses the files of a definition and sorts their top-level
// blocks. Syntax errors stop the load: what follows them is guesswork.
func (l *Loader) parseUnit(path, dir string, files []string) (*unit, hcl.Diagnostics) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	u := &unit{path: path, dir: dir, absDir: abs, files: files, secrets: l.secrets}
	var diags hcl.Diagnostics
	var bodies []*hclsyntax.Body
	for _, name := range files {
		src, err := l.readLimited(name)
		if err != nil {
			diags = append(diags, diagErr("Cannot read definition", fmt.Sprintf("reading %s: %v", name, unwrapPath(err)), nil)...)
			continue
		}
		if d := checkSource(src, name, hcl.InitialPos, configSource); d.HasErrors() {
			diags = append(diags, d...)
			continue
		}
		f, d := l.parser.ParseHCL(src, name)
		diags = append(diags, d...)
		if f != nil {
			if b, ok := f.Body.(*hclsyntax.Body); ok {
				bodies = append(bodies, b)
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	u.values = map[string]cty.Value{}
	for _, b := range bodies {
		diags = append(diags, u.addTopLevel(b)...)
	}
	return u, diags
}

// addTopLevel sorts the top-level blocks of one file into u.
func (u *unit) addTopLevel(b *hclsyntax.Body) hcl.Diagnostics {
	diags := checkTopLevel(b)
	content, _, d := b.PartialContent(topSchema)
	diags = append(diags, d...)
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "variable":
			v, d := decodeVariable(blk)
			diags = append(diags, d...)
			u.vars = append(u.vars, v)
		case "locals":
			u.locals = append(u.locals, blk)
		case "image":
			u.images = append(u.images, blk)
		}
	}
	return diags
}

// checkTopLevel reports attributes and unknown blocks at the top level,
// with a did-you-mean and a hint when the name belongs in the image block.
func checkTopLevel(b *hclsyntax.Body) hcl.Diagnostics {
	var diags hcl.Diagnostics
	known := []string{"variable", "locals", "image"}
	for _, a := range sortedAttrs(b) {
		detail := fmt.Sprintf("An argument named %q is not expected at the top level of a definition.", a.Name)
		if contains(imageOnly, a.Name) {
			detail += fmt.Sprintf(" Did you mean to put %s inside the image block?", a.Name)
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument",
			Detail: detail, Subject: a.NameRange.Ptr()})
	}
	for _, blk := range b.Blocks {
		if contains(known, blk.Type) {
			continue
		}
		detail := fmt.Sprintf("Blocks of type %q are not expected at the top level of a definition.", blk.Type)
		if contains(imageOnly, blk.Type) {
			detail += fmt.Sprintf(" %s blocks belong inside the image block.", blk.Type)
		} else if s := suggest(blk.Type, imageOnly); s != "" {
			detail += fmt.Sprintf(" Did you mean %q, inside the image block?", s)
		} else if s := suggest(blk.Type, known); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported block type",
			Detail: detail, Subject: blk.TypeRange.Ptr()})
	}
	return diags
}

func sortedAttrs(b *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// diagErr is a one-diagnostic error list.
func diagErr(summary, detail string, subject *hcl.Range) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}}
}
