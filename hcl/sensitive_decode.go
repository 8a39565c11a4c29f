package hcl

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/internal/redact"
)

// postBody is a body whose expressions' values go through post before
// gohcl decodes them into Go: marks removed for the real value, sensitive
// parts replaced for the copy that plan shows. Expressions are still
// evaluated with the marks, so that their diagnostics hide sensitive
// values as HCL's diagnostic writer does for marked ones.
type postBody struct {
	hcl.Body
	post func(cty.Value) cty.Value
}

// postExpr is an expression of a postBody.
type postExpr struct {
	hcl.Expression
	post func(cty.Value) cty.Value
}

func (e postExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, d := e.Expression.Value(ctx)
	return e.post(v), d
}

func (b postBody) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, d := b.Body.Content(s)
	return b.wrap(c), d
}

func (b postBody) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	c, rest, d := b.Body.PartialContent(s)
	return b.wrap(c), postBody{rest, b.post}, d
}

func (b postBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	attrs, d := b.Body.JustAttributes()
	return b.wrapAttrs(attrs), d
}

func (b postBody) wrap(c *hcl.BodyContent) *hcl.BodyContent {
	if c == nil {
		return nil
	}
	out := *c
	out.Attributes = b.wrapAttrs(c.Attributes)
	out.Blocks = make(hcl.Blocks, len(c.Blocks))
	for i, blk := range c.Blocks {
		nb := *blk
		nb.Body = postBody{blk.Body, b.post}
		out.Blocks[i] = &nb
	}
	return &out
}

func (b postBody) wrapAttrs(attrs hcl.Attributes) hcl.Attributes {
	out := make(hcl.Attributes, len(attrs))
	for n, a := range attrs {
		na := *a
		na.Expr = postExpr{a.Expr, b.post}
		out[n] = &na
	}
	return out
}

// syntaxBody returns the syntax body under any postBody wrapping.
func syntaxBody(b hcl.Body) hcl.Body {
	for {
		pb, ok := b.(postBody)
		if !ok {
			return b
		}
		b = pb.Body
	}
}

// decodeBody decodes body into target with ctx, sensitive values and all.
func decodeBody(body hcl.Body, ctx *hcl.EvalContext, target any) hcl.Diagnostics {
	return gohcl.DecodeBody(postBody{body, unmarkedValue}, ctx, target)
}

// decodeExpr decodes expr into target with ctx, sensitive values and all.
func decodeExpr(expr hcl.Expression, ctx *hcl.EvalContext, target any) hcl.Diagnostics {
	return gohcl.DecodeExpression(postExpr{expr, unmarkedValue}, ctx, target)
}

// kindValue is what steps and outputs share.
type kindValue interface {
	Check() error
	Summary() string
}

// decodeKind decodes b into v and checks it. When b uses sensitive
// values, its summary and check messages come from a second copy decoded
// with those values replaced: redacted where they are rendered, whatever
// their length. The summary is "" when v's own is safe; ok is false when
// v could not be decoded or checked. A body that fails to decode is still
// checked: every mistake but those decoding reported is shown too.
func (u *unit) decodeKind(b kindBlock, ctx *hcl.EvalContext, v kindValue, fresh kindValue, what string) (summary string, ok bool, diags hcl.Diagnostics) {
	diags = decodeBody(b.Body, ctx, v)
	hidden := u.sensitiveAttrs(b.Body, ctx)
	checkErr := v.Check()
	if len(hidden) > 0 {
		summary = b.Kind + " " + redact.Placeholder
		var redCheck error
		if d := gohcl.DecodeBody(postBody{b.Body, redactedValue}, ctx, fresh); !d.HasErrors() {
			summary, redCheck = fresh.Summary(), fresh.Check()
		}
		checkErr = redactCheck(checkErr, redCheck, b.Body, b.DefRange, hidden)
	}
	title := fmt.Sprintf("Invalid %s %s", b.Kind, what)
	diags = append(diags, fieldDiags(title, []error{checkErr}, b.Body, b.DefRange, diags)...)
	return summary, !diags.HasErrors(), diags
}

// sensitiveAttrs returns the value ranges of the attributes in body (and
// its blocks) whose values are sensitive, and adds those values to the
// definition's secrets.
func (u *unit) sensitiveAttrs(body hcl.Body, ctx *hcl.EvalContext) []hcl.Range {
	sb, ok := syntaxBody(body).(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var out []hcl.Range
	for _, a := range sb.Attributes {
		if v, _ := a.Expr.Value(ctx); v.ContainsMarked() {
			out = append(out, a.Expr.Range())
			u.secrets.add(v)
		}
	}
	for _, blk := range sb.Blocks {
		out = append(out, u.sensitiveAttrs(blk.Body, ctx)...)
	}
	return out
}

// redactCheck returns real, the check errors of the real value, with those
// about a sensitive attribute replaced by the redacted copy's error for
// the same attribute, or by a message that names only the attribute.
func redactCheck(real, redacted error, body hcl.Body, def hcl.Range, hidden []hcl.Range) error {
	alt := map[string]error{}
	for _, fe := range check.Fields(redacted) {
		alt[fe.Attr] = fe
		if fe.Attr == "" {
			alt[""] = fe.Err
		}
	}
	var out []error
	for _, fe := range check.Fields(real) {
		rng := attrRange(body, fe.Attr, def)
		if fe.Attr != "" && !overlapsAny(rng, hidden) {
			out = append(out, fe)
			continue
		}
		if a, ok := alt[fe.Attr]; ok {
			out = append(out, a)
			continue
		}
		if fe.Attr == "" {
			out = append(out, errors.New("the settings are not valid (the reason would show a sensitive value)"))
			continue
		}
		out = append(out, check.Fieldf(fe.Attr, "the value is not valid (the reason would show a sensitive value)"))
	}
	return errors.Join(out...)
}

func overlapsAny(r hcl.Range, list []hcl.Range) bool {
	for _, h := range list {
		if r.Overlaps(h) {
			return true
		}
	}
	return false
}

// guardFunctions wraps every function so that a call given a sensitive
// argument returns a sensitive result and, when it fails, an error that
// does not repeat the argument. try and can take expressions, not
// values, and are left as they are.
func guardFunctions(funcs map[string]function.Function) map[string]function.Function {
	out := make(map[string]function.Function, len(funcs))
	for name, f := range funcs {
		if name == "try" || name == "can" {
			out[name] = f
			continue
		}
		out[name] = guard(name, f)
	}
	return out
}

func guard(name string, f function.Function) function.Function {
	params := f.Params()
	for i := range params {
		params[i].AllowMarked = true
	}
	var vp *function.Parameter
	if p := f.VarParam(); p != nil {
		c := *p
		c.AllowMarked = true
		vp = &c
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    vp,
		Type: func(args []cty.Value) (cty.Type, error) {
			plain, marked := unmarkArgs(args)
			ty, err := f.ReturnTypeForValues(plain)
			return ty, hideError(name, err, marked)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			plain, marked := unmarkArgs(args)
			v, err := f.Call(plain)
			if err != nil {
				return cty.NilVal, hideError(name, err, marked)
			}
			if marked {
				v = markSensitive(v)
			}
			return v, nil
		},
	})
}

func unmarkArgs(args []cty.Value) ([]cty.Value, bool) {
	out := make([]cty.Value, len(args))
	marked := false
	for i, a := range args {
		marked = marked || a.ContainsMarked()
		out[i] = unmarkedValue(a)
	}
	return out, marked
}

func hideError(name string, err error, marked bool) error {
	if err == nil || !marked {
		return err
	}
	var ae function.ArgError
	if errors.As(err, &ae) {
		return function.NewArgErrorf(ae.Index, "%s refused a sensitive argument (the reason would show its value)", name)
	}
	return fmt.Errorf("%s failed on a sensitive argument (the reason would show its value)", name)
}
