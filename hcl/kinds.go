package hcl

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

// decodeStep decodes a provision block into its kind's value and checks it.
// The attributes every step accepts (provision.Common) are taken out
// first; the kind decodes the rest.
func (u *unit) decodeStep(b kindBlock, ctx *hcl.EvalContext) (*Step, hcl.Diagnostics) {
	s, ok := provision.New(b.Kind)
	if !ok {
		return nil, unknownKind("step", b, provision.Kinds())
	}
	body := b.Body
	common, rest, cdiags := decodeCommon(body, ctx)
	b.Body = rest
	fresh, _ := provision.New(b.Kind)
	summary, ok, diags := u.decodeKind(b, ctx, s, fresh, "step")
	diags = append(cdiags, diags...)
	if !ok || cdiags.HasErrors() {
		return nil, diags
	}
	return &Step{Kind: b.Kind, Step: s, Common: common, Range: b.DefRange, Dir: u.absDir, body: body, summary: summary}, diags
}

// decodeCommon decodes the common step attributes of body, from their
// defaults, and returns the body without them.
func decodeCommon(body hcl.Body, ctx *hcl.EvalContext) (provision.Common, hcl.Body, hcl.Diagnostics) {
	common := provision.NewCommon()
	schema, _ := gohcl.ImpliedBodySchema(&common)
	content, rest, diags := body.PartialContent(schema)
	if diags.HasErrors() {
		return common, rest, diags
	}
	v := reflect.ValueOf(&common).Elem()
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("hcl"), ",")
		if a, ok := content.Attributes[name]; ok {
			diags = append(diags, gohcl.DecodeExpression(a.Expr, ctx, v.Field(i).Addr().Interface())...)
		}
	}
	return common, rest, diags
}

// decodeOutput decodes an output block into its kind's value and checks it.
func (u *unit) decodeOutput(b kindBlock, ctx *hcl.EvalContext) (*Output, hcl.Diagnostics) {
	o, ok := pack.New(b.Kind)
	if !ok {
		return nil, unknownKind("output", b, pack.Kinds())
	}
	fresh, _ := pack.New(b.Kind)
	summary, ok, diags := u.decodeKind(b, ctx, o, fresh, "output")
	if !ok {
		return nil, diags
	}
	return &Output{Kind: b.Kind, Output: o, Range: b.DefRange, Dir: u.absDir, body: b.Body, summary: summary}, diags
}

// unknownKind reports a kind that is not registered, with a did-you-mean
// and the list of kinds.
func unknownKind(what string, b kindBlock, kinds []string) hcl.Diagnostics {
	detail := fmt.Sprintf("There is no %s kind %q.%s The %s kinds are: %s.",
		what, b.Kind, didYouMean(b.Kind, kinds), what, strings.Join(kinds, ", "))
	return diagErr(fmt.Sprintf("Unknown %s kind", what), detail, b.KindRange.Ptr())
}

// fieldDiags turns Check errors into diagnostics pointing at the
// attribute each names, or at the block when the attribute is not found.
// decoding are the diagnostics of decoding the body: a check of an
// attribute that failed to decode, or of a required one that is missing,
// would only repeat them, and is left out; every other check is reported,
// so that one run shows every mistake.
func fieldDiags(summary string, errs []error, body hcl.Body, block hcl.Range, decoding hcl.Diagnostics) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, fe := range check.Fields(errors.Join(errs...)) {
		if decoding.HasErrors() && repeats(decoding, body, fe.Attr) {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   sentence(fe.Error()),
			Subject:  attrRange(body, fe.Attr, block).Ptr(),
		})
	}
	return diags
}

// repeats reports whether a check of attr would repeat a decoding error:
// attr is not set in body (a required one is reported missing), or an
// error lies in its value.
func repeats(decoding hcl.Diagnostics, body hcl.Body, attr string) bool {
	sb, ok := syntaxBody(body).(*hclsyntax.Body)
	if !ok {
		return true
	}
	name, _, _ := strings.Cut(attr, ".")
	name, _, _ = strings.Cut(name, "[")
	a, ok := sb.Attributes[name]
	if !ok {
		_, isBlock := blockNamed(sb, name)
		return !isBlock
	}
	for _, d := range decoding {
		if d.Severity == hcl.DiagError && d.Subject != nil && a.SrcRange.Overlaps(*d.Subject) {
			return true
		}
	}
	return false
}

func blockNamed(sb *hclsyntax.Body, name string) (*hclsyntax.Block, bool) {
	for _, b := range sb.Blocks {
		if b.Type == name {
			return b, true
		}
	}
	return nil, false
}

// sentence ends msg with a period, as HCL's own details do.
func sentence(msg string) string {
	if msg == "" || strings.HasSuffix(msg, ".") {
		return msg
	}
	return msg + "."
}

// attrRange finds the value range of attr in body. attr may be a path
// into nested blocks ("interface.eth0.dhcp"); an index suffix ("values[2]")
// is ignored. It falls back to the deepest block found, then to def.
func attrRange(body hcl.Body, attr string, def hcl.Range) hcl.Range {
	sb, ok := body.(*hclsyntax.Body)
	if !ok || attr == "" {
		return def
	}
	parts := strings.Split(attr, ".")
	for i := 0; i < len(parts); i++ {
		name, _, _ := strings.Cut(parts[i], "[")
		if a, ok := sb.Attributes[name]; ok {
			return a.Expr.Range()
		}
		blk := findBlock(sb, name, parts[i+1:])
		if blk == nil {
			return def
		}
		def = blk.DefRange()
		if len(blk.Labels) > 0 && i+1 < len(parts) && parts[i+1] == blk.Labels[0] {
			i++
		}
		sb = blk.Body
	}
	return def
}

// findBlock returns the block of type name, preferring the one whose
// first label is the next path part.
func findBlock(sb *hclsyntax.Body, name string, rest []string) *hclsyntax.Block {
	var found *hclsyntax.Block
	for _, blk := range sb.Blocks {
		if blk.Type != name {
			continue
		}
		if len(rest) > 0 && len(blk.Labels) > 0 && blk.Labels[0] == rest[0] {
			return blk
		}
		if found == nil {
			found = blk
		}
	}
	return found
}
