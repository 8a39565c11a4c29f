package hcl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// evalLocals evaluates the locals blocks in dependency order; a local may
// use variables, functions and other locals, but not itself through a
// cycle. It takes time linear in the number of locals and references:
// each local is evaluated once, seeing only the locals it names.
func (u *unit) evalLocals() hcl.Diagnostics {
	attrs, diags := u.localAttrs()
	u.localVals = map[string]cty.Value{}
	deps := make(map[string][]string, len(attrs))
	users := map[string][]string{}
	waiting := make(map[string]int, len(attrs))
	var ready []string
	for n, a := range attrs {
		deps[n] = localRefs(a, attrs)
		for _, d := range deps[n] {
			users[d] = append(users[d], n)
		}
		if waiting[n] = len(deps[n]); waiting[n] == 0 {
			ready = append(ready, n)
		}
	}
	sort.Strings(ready)
	for len(ready) > 0 {
		n := ready[0]
		ready = ready[1:]
		v, d := attrs[n].Expr.Value(u.localContext(deps[n]))
		diags = append(diags, d...)
		if d.HasErrors() {
			v = cty.DynamicVal // keep going: report every local's mistakes
		}
		u.localVals[n] = v
		u.secrets.add(v)
		for _, m := range users[n] {
			if waiting[m]--; waiting[m] == 0 {
				ready = append(ready, m)
			}
		}
	}
	// Diagnostics see every local, for did-you-mean hints: one context,
	// built once.
	full := u.evalContext()
	for _, d := range diags {
		if d.EvalContext != nil {
			d.EvalContext = full
		}
	}
	if len(u.localVals) < len(attrs) {
		return append(diags, cycleDiag(attrs, u.localVals)...)
	}
	return diags
}

// cycleDiag reports the locals left unevaluated: they refer to each other.
func cycleDiag(attrs map[string]*hcl.Attribute, done map[string]cty.Value) hcl.Diagnostics {
	var left []string
	for n := range attrs {
		if _, ok := done[n]; !ok {
			left = append(left, n)
		}
	}
	sort.Strings(left)
	return diagErr("Cycle in local values",
		fmt.Sprintf("These local values refer to each other: %s.", strings.Join(left, ", ")), attrs[left[0]].Expr.Range().Ptr())
}

// localAttrs collects the attributes of every locals block.
func (u *unit) localAttrs() (map[string]*hcl.Attribute, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := map[string]*hcl.Attribute{}
	for _, blk := range u.locals {
		attrs, d := blk.Body.JustAttributes()
		diags = append(diags, d...)
		for n, a := range attrs {
			if prev, dup := out[n]; dup {
				diags = append(diags, diagErr("Duplicate local value",
					fmt.Sprintf("A local value named %q was already defined at %s.", n, prev.NameRange), a.NameRange.Ptr())...)
				continue
			}
			out[n] = a
		}
	}
	return out, diags
}

// localRefs lists, once each, the defined locals that a refers to (itself
// included, which is the shortest cycle).
func localRefs(a *hcl.Attribute, attrs map[string]*hcl.Attribute) []string {
	var out []string
	seen := map[string]bool{}
	for _, tr := range a.Expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if step, ok := tr[1].(hcl.TraverseAttr); ok && attrs[step.Name] != nil && !seen[step.Name] {
			seen[step.Name] = true
			out = append(out, step.Name)
		}
	}
	return out
}

// localContext is the evaluation context of one local: var.*, the
// functions, and under local.* only the locals it names, so that building
// it costs what the local uses, not what the definition holds.
func (u *unit) localContext(names []string) *hcl.EvalContext {
	vals := make(map[string]cty.Value, len(names))
	for _, n := range names {
		vals[n] = u.localVals[n]
	}
	if u.varObj == cty.NilVal {
		u.varObj = cty.ObjectVal(u.values)
	}
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": u.varObj, "local": cty.ObjectVal(vals)},
		Functions: u.funcs,
	}
}

// evalContext is what expressions in the definition see: var.*, local.*
// and the functions.
func (u *unit) evalContext() *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":   cty.ObjectVal(u.values),
			"local": cty.ObjectVal(u.localVals),
		},
		Functions: u.funcs,
	}
}
