package hcl

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// envPrefix names variables set from the environment.
const envPrefix = "CHROOTBUILD_VAR_"

// givenValue is a variable value set from outside a definition.
type givenValue struct {
	raw    string    // from --var or the environment, read per the type
	val    cty.Value // from a var-file or a child definition
	isRaw  bool
	source string     // "--var", "CHROOTBUILD_VAR_x", or a file name
	rng    *hcl.Range // nil for --var and the environment
	strict bool       // refuse it when no definition declares the name
}

// value returns the given value; a raw string is a plain string for
// string (or untyped) variables and an HCL expression otherwise, as in
// Terraform.
// A sensitive variable's value is never repeated in an error.
func (g givenValue) value(ty cty.Type, sensitive bool) (cty.Value, hcl.Diagnostics) {
	if !g.isRaw {
		return g.val, nil
	}
	if ty == cty.String || ty == cty.DynamicPseudoType {
		return cty.StringVal(g.raw), nil
	}
	shown := g.source + "=" + g.raw
	if sensitive {
		shown = g.source + " (sensitive, not shown)"
	}
	if d := checkSource([]byte(g.raw), g.source, hcl.InitialPos, exprSource); d.HasErrors() {
		return cty.NilVal, diagErr("Invalid value for variable", fmt.Sprintf("%s: %s", shown, hideIf(sensitive, d[0].Detail)), nil)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(g.raw), g.source, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, diagErr("Invalid value for variable",
			fmt.Sprintf("%s is not a valid %s expression: %s", shown, typeexpr.TypeString(ty), hideIf(sensitive, diags[0].Detail)), nil)
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diagErr("Invalid value for variable",
			fmt.Sprintf("%s: %s", shown, hideIf(sensitive, diags[0].Detail)), nil)
	}
	return v, nil
}

// hideIf returns detail, or a sentence saying it is hidden when the value
// it is about is sensitive: parser messages may quote it.
func hideIf(sensitive bool, detail string) string {
	if sensitive {
		return "the reason is not shown, as it could repeat the value."
	}
	return detail
}

// givenValues gathers the outside values, lowest precedence first:
// environment, var-files in order, --var.
func (l *Loader) givenValues() (map[string]givenValue, hcl.Diagnostics) {
	given := map[string]givenValue{}
	for k, v := range l.env {
		if name, ok := strings.CutPrefix(k, envPrefix); ok && name != "" {
			given[name] = givenValue{raw: v, isRaw: true, source: k}
		}
	}
	var diags hcl.Diagnostics
	for _, f := range l.opts.VarFiles {
		diags = append(diags, l.readVarFile(f, given)...)
	}
	for k, v := range l.opts.Vars {
		given[k] = givenValue{raw: v, isRaw: true, source: "--var " + k, strict: true}
	}
	return given, diags
}

// readVarFile reads name = value attributes from a variable file. Values
// are constants: no variables, no functions.
func (l *Loader) readVarFile(name string, given map[string]givenValue) hcl.Diagnostics {
	src, err := l.readLimited(name)
	if err != nil {
		return diagErr("Cannot read variable file", fmt.Sprintf("reading %s: %v", name, unwrapPath(err)), nil)
	}
	if d := checkSource(src, name, hcl.InitialPos, configSource); d.HasErrors() {
		return d
	}
	f, diags := l.parser.ParseHCL(src, name)
	if diags.HasErrors() {
		return diags
	}
	attrs, d := f.Body.JustAttributes()
	diags = append(diags, d...)
	for _, a := range attrs {
		v, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() {
			given[a.Name] = givenValue{val: v, source: name, rng: a.Expr.Range().Ptr(), strict: true}
		}
	}
	return diags
}

// unusedGiven refuses --var and var-file settings that no definition in
// the chain declares: a misspelt name must not be silently ignored.
func (l *Loader) unusedGiven(given map[string]givenValue) hcl.Diagnostics {
	known := slices.Sorted(maps.Keys(l.declared))
	var names []string
	for n, g := range given {
		if g.strict && !l.declared[n] {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var diags hcl.Diagnostics
	for _, n := range names {
		g := given[n]
		diags = append(diags, diagErr("Undeclared variable",
			fmt.Sprintf("%s sets %q, but no variable %q is declared.%s", g.source, n, n, didYouMean(n, known)), g.rng)...)
	}
	return diags
}
