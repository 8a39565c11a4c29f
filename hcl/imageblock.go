package hcl

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// imageBlock is the `image "NAME"` block.
type imageBlock struct {
	Name        string           `hcl:"name,label"`
	From        *hcl.Attribute   `hcl:"from,optional"`
	Version     *string          `hcl:"version,optional"`
	Description *string          `hcl:"description,optional"`
	Bootstrap   []bootstrapBlock `hcl:"bootstrap,block"` // one; more are reported

	Provision []kindBlock `hcl:"provision,block"`
	Outputs   []kindBlock `hcl:"output,block"`
	Publish   *Publish    `hcl:"publish,block"`
	DefRange  hcl.Range   `hcl:",def_range"`
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
	diags = append(diags, decodeBody(u.images[0].Body, ctx, &ib)...)
	u.sensitiveAttrs(u.images[0].Body, ctx) // version, description, bootstrap, publish
	ib.Name, ib.DefRange = u.images[0].Labels[0], u.images[0].DefRange
	for _, b := range ib.Bootstrap[min(1, len(ib.Bootstrap)):] {
		diags = append(diags, diagErr("Duplicate bootstrap block",
			fmt.Sprintf("Only one bootstrap block is allowed. Another was defined at %s.", ib.Bootstrap[0].DefRange), b.DefRange.Ptr())...)
	}
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
// ib into img, checking each bootstrap block (a duplicate's mistakes are
// reported too). prior are the errors of decoding ib: checks that would
// repeat one are left out.
func (u *unit) decodeBody(img *Image, ib *imageBlock, ctx *hcl.EvalContext, prior hcl.Diagnostics) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, b := range ib.Bootstrap {
		b.Body = syntaxBody(b.Body)
		o, d := b.options(u.absDir, prior)
		diags = append(diags, d...)
		if i == 0 {
			img.Bootstrap, img.BootstrapRange = o, b.DefRange
		}
	}
	for _, b := range ib.Provision {
		b.Body = syntaxBody(b.Body)
		s, d := u.decodeStep(b, ctx)
		diags = append(diags, d...)
		if s != nil {
			img.Steps = append(img.Steps, *s)
		}
	}
	for _, b := range ib.Outputs {
		b.Body = syntaxBody(b.Body)
		o, d := u.decodeOutput(b, ctx)
		diags = append(diags, d...)
		if o != nil {
			img.Outputs = append(img.Outputs, *o)
		}
	}
	// Outputs are inherited whole, so duplicates lie within one definition.
	diags = append(diags, duplicateOutputs(img.Outputs)...)
	if ib.Publish != nil {
		ib.Publish.Body = syntaxBody(ib.Publish.Body)
		diags = append(diags, ib.Publish.check()...)
		img.Publish = ib.Publish
	}
	return diags
}
