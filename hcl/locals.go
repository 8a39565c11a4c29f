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
// cycle.
func (u *unit) evalLocals() hcl.Diagnostics {
	attrs, diags := u.localAttrs()
	u.localVals = map[string]cty.Value{}
	pending := make([]string, 0, len(attrs))
	for n := range attrs {
		pending = append(pending, n)
	}
	sort.Strings(pending)
	for len(pending) > 0 {
		var next []string
		for _, n := range pending {
			if dependsOnAny(attrs[n], pending) {
				next = append(next, n)
				continue
			}
			v, d := attrs[n].Expr.Value(u.evalContext())
			diags = append(diags, d...)
			if d.HasErrors() {
				v = cty.DynamicVal // keep going: report every local's mistakes
			}
			u.localVals[n] = v
		}
		if len(next) == len(pending) {
			a := attrs[next[0]]
			return append(diags, diagErr("Cycle in local values",
				fmt.Sprintf("These local values refer to each other: %s.", strings.Join(next, ", ")), a.Expr.Range().Ptr())...)
		}
		pending = next
	}
	return diags
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

// dependsOnAny reports whether a refers to one of the pending locals
// (itself included, which is the shortest cycle).
func dependsOnAny(a *hcl.Attribute, pending []string) bool {
	for _, tr := range a.Expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if step, ok := tr[1].(hcl.TraverseAttr); ok && contains(pending, step.Name) {
			return true
		}
	}
	return false
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
