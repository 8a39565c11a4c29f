package hcl

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// variableBlock is a `variable "NAME"` block.
type variableBlock struct {
	Name        string            `hcl:"name,label"`
	Type        *hcl.Attribute    `hcl:"type,optional"`
	Default     *hcl.Attribute    `hcl:"default,optional"`
	Description string            `hcl:"description,optional"`
	Sensitive   bool              `hcl:"sensitive,optional"`
	Validations []validationBlock `hcl:"validation,block"`
	DefRange    hcl.Range         `hcl:",def_range"`

	ty     cty.Type
	broken bool // the declaration has errors: the value stays unknown
}

// validationBlock is a variable's `validation` block.
type validationBlock struct {
	Condition    hcl.Expression `hcl:"condition"`
	ErrorMessage hcl.Expression `hcl:"error_message"`
}

// decodeVariable decodes a variable block's declaration; its value is
// resolved later.
func decodeVariable(blk *hcl.Block) (*variableBlock, hcl.Diagnostics) {
	v := &variableBlock{ty: cty.DynamicPseudoType}
	diags := gohcl.DecodeBody(blk.Body, nil, v)
	v.Name, v.DefRange = blk.Labels[0], blk.DefRange
	if !hclsyntax.ValidIdentifier(v.Name) {
		diags = append(diags, diagErr("Invalid variable name",
			fmt.Sprintf("%q is not a valid name: use letters, digits, _ and -, starting with a letter.", v.Name),
			blk.LabelRanges[0].Ptr())...)
	}
	if v.Type != nil {
		ty, d := typeexpr.TypeConstraint(v.Type.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.ty = ty
		}
	}
	v.broken = diags.HasErrors()
	return v, diags
}

// resolveVariables gives every declared variable its value (given, else
// default), converts it to the declared type and runs the validations.
func (u *unit) resolveVariables(l *Loader, given map[string]givenValue) hcl.Diagnostics {
	var diags hcl.Diagnostics
	u.funcs = guardFunctions(l.functions(u.dir))
	u.valueRange, u.valueSource = map[string]*hcl.Range{}, map[string]string{}
	seen := map[string]*variableBlock{}
	for _, v := range u.vars {
		if prev, dup := seen[v.Name]; dup {
			diags = append(diags, diagErr("Duplicate variable declaration",
				fmt.Sprintf("A variable named %q was already declared at %s.", v.Name, prev.DefRange), v.DefRange.Ptr())...)
			continue
		}
		seen[v.Name] = v
		l.declared[v.Name] = true
		if v.broken {
			u.values[v.Name] = cty.DynamicVal
			continue
		}
		val, source, d := u.variableValue(v, given)
		diags = append(diags, d...)
		if d.HasErrors() {
			u.values[v.Name] = cty.DynamicVal
			continue
		}
		if v.Sensitive {
			val = markSensitive(val)
		}
		u.secrets.add(val)
		u.values[v.Name] = val
		u.resolved = append(u.resolved, Variable{Name: v.Name, Value: val, Sensitive: val.ContainsMarked(),
			Description: v.Description, Source: source})
	}
	sort.Slice(u.resolved, func(i, j int) bool { return u.resolved[i].Name < u.resolved[j].Name })
	for _, v := range u.vars {
		if u.values[v.Name].IsKnown() {
			diags = append(diags, u.validate(v)...)
		}
	}
	return diags
}

// variableValue picks the value of v: given from outside, else default.
func (u *unit) variableValue(v *variableBlock, given map[string]givenValue) (cty.Value, string, hcl.Diagnostics) {
	if g, ok := given[v.Name]; ok {
		u.valueRange[v.Name], u.valueSource[v.Name] = g.rng, g.source
		val, diags := g.value(v.ty, v.Sensitive)
		if diags.HasErrors() {
			return cty.NilVal, "", diags
		}
		return u.convert(v, val, g.rng, g.source)
	}
	if v.Default == nil {
		return cty.NilVal, "", diagErr("No value for required variable",
			fmt.Sprintf("The variable %q has no default. Set it with --var %s=VALUE, in a --var-file, or with CHROOTBUILD_VAR_%s.",
				v.Name, v.Name, v.Name), v.DefRange.Ptr())
	}
	u.valueRange[v.Name] = v.Default.Expr.Range().Ptr()
	val, diags := v.Default.Expr.Value(&hcl.EvalContext{Functions: u.funcs})
	if diags.HasErrors() {
		return cty.NilVal, "", diags
	}
	return u.convert(v, val, v.Default.Expr.Range().Ptr(), "default")
}

// convert converts val to the variable's type.
func (u *unit) convert(v *variableBlock, val cty.Value, rng *hcl.Range, source string) (cty.Value, string, hcl.Diagnostics) {
	plain, marked := unmarkedValue(val), val.ContainsMarked()
	out, err := convert.Convert(plain, v.ty)
	if err == nil {
		err = checkNumbers(out)
	}
	if marked && err == nil {
		out = markSensitive(out)
	}
	if err != nil {
		detail := fmt.Sprintf("The value for variable %q (from %s) is not a %s: %s.",
			v.Name, source, typeexpr.TypeString(v.ty), err)
		return cty.NilVal, "", diagErr("Invalid value for variable", detail, rng)
	}
	return out, source, nil
}

// validate runs v's validation blocks against the resolved values.
func (u *unit) validate(v *variableBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(u.values)},
		Functions: u.funcs,
	}
	for _, val := range v.Validations {
		ok, d := val.Condition.Value(ctx)
		ok = unmarkedValue(ok)
		diags = append(diags, d...)
		switch {
		case d.HasErrors() || !ok.IsKnown():
			// already reported, here or where the unknown value comes from
		case ok.IsNull() || !ok.Type().Equals(cty.Bool):
			diags = append(diags, diagErr("Invalid validation condition",
				"The condition must evaluate to true or false.", val.Condition.Range().Ptr())...)
		case ok.False():
			diags = append(diags, u.validationFailed(v, val, ctx)...)
		}
	}
	return diags
}

// validationFailed reports a failed rule with its error_message, pointing
// at the value when it is written somewhere, else at the rule.
func (u *unit) validationFailed(v *variableBlock, val validationBlock, ctx *hcl.EvalContext) hcl.Diagnostics {
	msg, diags := val.ErrorMessage.Value(ctx)
	text := "the value is not valid"
	if !diags.HasErrors() && msg.Type() == cty.String && msg.IsKnown() && !msg.IsNull() && !msg.ContainsMarked() {
		text = msg.AsString()
	}
	subject, where := u.valueRange[v.Name], ""
	if subject != nil {
		where = fmt.Sprintf("\n\nChecked by the validation rule at %s.", val.Condition.Range())
	} else {
		subject = val.Condition.Range().Ptr()
		where = fmt.Sprintf("\n\nThe value comes from %s.", u.valueSource[v.Name])
	}
	diag := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for variable",
		Detail: text + where, Subject: subject}
	if !v.Sensitive {
		diag.Expression, diag.EvalContext = val.Condition, ctx
	}
	return append(diags, diag)
}
