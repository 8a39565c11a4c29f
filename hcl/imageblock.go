package hcl

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// imageBlock is the `image "NAME"` block.
type imageBlock struct {
	Name        string          `hcl:"name,label"`
	From        *hcl.Attribute  `hcl:"from,optional"`
	Version     *string         `hcl:"version,optional"`
	Description *string         `hcl:"description,optional"`
	Bootstrap   *bootstrapBlock `hcl:"bootstrap,block"`
	Provision   []kindBlock     `hcl:"provision,block"`
	Outputs     []kindBlock     `hcl:"output,block"`
	Publish     *Publish        `hcl:"publish,block"`
	DefRange    hcl.Range       `hcl:",def_range"`
}

// kindBlock is a `provision "KIND"` or `output "KIND"` block before its
// kind is known: the body is decoded again into the kind's own value.
type kindBlock struct {
	Kind      string    `hcl:"kind,label"`
	KindRange hcl.Range `hcl:"kind,label_range"`
	Body      hcl.Body  `hcl:",remain"`
	DefRange  hcl.Range `hcl:",def_range"`
}

// decodeImage decodes the image block, loads the parent named by from and
// merges the two.
func (u *unit) decodeImage(l *Loader, given map[string]givenValue, stack []def) (*Image, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if len(u.images) == 0 {
		return nil, diagErr("Missing image block",
			fmt.Sprintf("The definition %s has no image block; it needs exactly one.", u.path), nil)
	}
	for _, blk := range u.images[1:] {
		diags = append(diags, diagErr("Duplicate image block",
			fmt.Sprintf("A definition holds one image block; the first is at %s.", u.images[0].DefRange), blk.DefRange.Ptr())...)
	}
	ctx := u.evalContext()
	var ib imageBlock
	diags = append(diags, gohcl.DecodeBody(u.images[0].Body, ctx, &ib)...)
	ib.Name, ib.DefRange = u.images[0].Labels[0], u.images[0].DefRange
	img := &Image{Name: ib.Name, Path: u.path, Dir: u.absDir, Files: u.files, Variables: u.resolved}
	var parent *Image
	if ib.From != nil {
		p, d := u.loadParent(l, ib.From, given, stack)
		diags = append(diags, d...)
		parent = p
	}
	if ib.Version != nil {
		img.Version = *ib.Version
	}
	if ib.Description != nil {
		img.Description = *ib.Description
	}
	diags = append(diags, u.decodeBody(img, &ib, ctx, diags)...)
	if diags.HasErrors() {
		return nil, diags
	}
	if parent != nil {
		img = inherit(parent, img, &ib)
	}
	return img, diags
}

// decodeBody decodes the bootstrap, steps, outputs and publish blocks of
// ib into img. prior are the errors so far: a bootstrap block that has
// some is not checked again.
func (u *unit) decodeBody(img *Image, ib *imageBlock, ctx *hcl.EvalContext, prior hcl.Diagnostics) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if ib.Bootstrap != nil {
		img.Bootstrap, diags = ib.Bootstrap.options(u.absDir)
		if hasErrorIn(prior, ib.Bootstrap.Body) {
			diags = nil
		}
		img.BootstrapRange = ib.Bootstrap.DefRange
	}
	for _, b := range ib.Provision {
		s, d := decodeStep(b, ctx, u.absDir)
		diags = append(diags, d...)
		if s != nil {
			img.Steps = append(img.Steps, *s)
		}
	}
	for _, b := range ib.Outputs {
		o, d := decodeOutput(b, ctx, u.absDir)
		diags = append(diags, d...)
		if o != nil {
			img.Outputs = append(img.Outputs, *o)
		}
	}
	// Outputs are inherited whole, so duplicates lie within one definition.
	diags = append(diags, duplicateOutputs(img.Outputs)...)
	if ib.Publish != nil {
		diags = append(diags, ib.Publish.check()...)
		img.Publish = ib.Publish
	}
	return diags
}

// loadParent loads the definition named by from, relative to the file
// that holds the attribute.
func (u *unit) loadParent(l *Loader, from *hcl.Attribute, given map[string]givenValue, stack []def) (*Image, hcl.Diagnostics) {
	var rel string
	diags := gohcl.DecodeExpression(from.Expr, u.evalContext(), &rel)
	if diags.HasErrors() {
		return nil, diags
	}
	rng := from.Expr.Range().Ptr()
	path := rel
	if !filepath.IsAbs(rel) {
		path = filepath.Join(filepath.Dir(from.Range.Filename), rel)
	}
	if _, err := l.stat(path); err != nil {
		return nil, diagErr("Missing parent image",
			fmt.Sprintf("from = %q names %s, which cannot be read: %v.", rel, path, unwrapPath(err)), rng)
	}
	key := defKey(path)
	for i, d := range stack {
		if d.key == key {
			var chain []string
			for _, d := range stack[i:] {
				chain = append(chain, d.name)
			}
			chain = append(chain, path)
			return nil, diagErr("Cycle in image inheritance",
				fmt.Sprintf("The images inherit from each other: %s.", strings.Join(chain, " -> ")), rng)
		}
	}
	if len(stack) >= maxDepth {
		return nil, diagErr("Inheritance too deep",
			fmt.Sprintf("More than %d images inherit from each other here.", maxDepth), rng)
	}
	return l.loadDef(path, u.givenForParent(given), stack)
}

// givenForParent passes the child's resolved variables to its parent, so
// that a child overrides the parent's variables of the same name.
func (u *unit) givenForParent(given map[string]givenValue) map[string]givenValue {
	out := make(map[string]givenValue, len(given)+len(u.resolved))
	for k, v := range given {
		out[k] = v
	}
	for _, v := range u.resolved {
		out[v.Name] = givenValue{val: v.Value, source: "the child image (" + u.path + ")"}
	}
	return out
}

// inherit merges child over parent: bootstrap attribute by attribute,
// steps appended, outputs and publish replaced when the child has any.
func inherit(parent, child *Image, ib *imageBlock) *Image {
	out := *child
	out.Parents = append([]string{parent.Path}, parent.Parents...)
	out.Files = append(append([]string{}, parent.Files...), child.Files...)
	out.Variables = mergeVariables(parent.Variables, child.Variables)
	if ib.Version == nil {
		out.Version = parent.Version
	}
	if ib.Description == nil {
		out.Description = parent.Description
	}
	out.Bootstrap, out.BootstrapRange = parent.Bootstrap, parent.BootstrapRange
	if ib.Bootstrap != nil {
		ib.Bootstrap.overlay(&out.Bootstrap, child.Dir)
		out.BootstrapRange = ib.Bootstrap.DefRange
	}
	out.Steps = append(append([]Step{}, parent.Steps...), child.Steps...)
	if len(child.Outputs) == 0 {
		out.Outputs = parent.Outputs
	}
	if child.Publish == nil {
		out.Publish = parent.Publish
	}
	return &out
}

// mergeVariables lists the variables of both, the child's winning.
func mergeVariables(parent, child []Variable) []Variable {
	out := append([]Variable{}, child...)
	for _, p := range parent {
		found := false
		for _, c := range child {
			found = found || c.Name == p.Name
		}
		if !found {
			out = append(out, p)
		}
	}
	return out
}

// hasErrorIn reports whether an error in diags lies inside body.
func hasErrorIn(diags hcl.Diagnostics, body hcl.Body) bool {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return diags.HasErrors()
	}
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Subject != nil && sb.SrcRange.Overlaps(*d.Subject) {
			return true
		}
	}
	return false
}
