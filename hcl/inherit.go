package hcl

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// loadParent loads the definition named by from, relative to the file
// that holds the attribute.
func (u *unit) loadParent(l *Loader, from *hcl.Attribute, given map[string]givenValue, stack []def) (*Image, hcl.Diagnostics) {
	var rel string
	diags := decodeExpr(from.Expr, u.evalContext(), &rel)
	if diags.HasErrors() {
		l.partial = true
		return nil, diags
	}
	rng := from.Expr.Range().Ptr()
	path := rel
	if !filepath.IsAbs(rel) {
		path = filepath.Join(filepath.Dir(from.Range.Filename), rel)
	}
	if _, err := l.stat(path); err != nil {
		l.partial = true
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
			l.partial = true
			return nil, diagErr("Cycle in image inheritance",
				fmt.Sprintf("The images inherit from each other: %s.", strings.Join(chain, " -> ")), rng)
		}
	}
	if len(stack) >= maxDepth {
		l.partial = true
		return nil, diagErr("Inheritance too deep",
			fmt.Sprintf("More than %d images inherit from each other here.", maxDepth), rng)
	}
	img, diags := l.loadDef(path, u.givenForParent(given), stack)
	for _, d := range diags {
		if d.Subject == nil { // about the parent as a whole: point at from
			d.Subject = rng
		}
	}
	return img, diags
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
	if len(ib.Bootstrap) > 0 {
		ib.Bootstrap[0].overlay(&out.Bootstrap, child.Dir)
		out.BootstrapRange = ib.Bootstrap[0].DefRange
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
