package hcl

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
)

// suggest returns the name in known closest to given, or "" when none is
// close enough to be a likely typo (the same threshold as HCL's own).
func suggest(given string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		d := levenshtein.Distance(given, k, nil)
		if min(len(given), len(k)) >= 4 && (strings.HasPrefix(given, k) || strings.HasPrefix(k, given)) {
			d = min(d, 2) // provisioner -> provision, squash -> squashfs
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// didYouMean formats a suggestion as a sentence, or "".
func didYouMean(given string, known []string) string {
	if s := suggest(given, known); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// improveDiags turns HCL's "Unsupported attribute" on var.* and local.*
// into an undefined-variable diagnostic with a did-you-mean.
func improveDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		if d.Summary != "Unsupported attribute" || d.Expression == nil || d.EvalContext == nil || d.Subject == nil {
			continue
		}
		for _, tr := range d.Expression.Variables() {
			root := tr.RootName()
			if (root != "var" && root != "local") || len(tr) < 2 || !tr.SourceRange().Overlaps(*d.Subject) {
				continue
			}
			attr, ok := tr[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			known := namesOf(d.EvalContext, root)
			if contains(known, attr.Name) {
				continue
			}
			what := map[string]string{"var": "variable", "local": "local value"}[root]
			d.Summary = "Undefined " + what
			d.Detail = fmt.Sprintf("There is no %s named %q.%s", what, attr.Name, didYouMean(attr.Name, known))
			break
		}
	}
	return diags
}

// namesOf lists the attribute names of the object root in ctx.
func namesOf(ctx *hcl.EvalContext, root string) []string {
	v, ok := ctx.Variables[root]
	if !ok || !v.Type().IsObjectType() {
		return nil
	}
	return slices.Sorted(maps.Keys(v.Type().AttributeTypes()))
}
