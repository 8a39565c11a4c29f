package hcl

import (
	"fmt"
	"path"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/chrootbuild/chrootbuild/pack"
)

// finish checks what only the fully merged image can show and fills in
// the defaults that plan prints.
func finish(img *Image) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if img.BootstrapRange.Filename == "" {
		return diagErr("Missing bootstrap block",
			fmt.Sprintf("The image %q has no bootstrap block, and no parent gives it one.", img.Name), nil)
	}
	b := &img.Bootstrap
	if b.Suite == "" {
		diags = append(diags, diagErr("Missing suite",
			"The bootstrap block (here or in a parent image) must set suite, like \"bookworm\".", img.BootstrapRange.Ptr())...)
	}
	if b.TrustedInImage && !b.Insecure {
		diags = append(diags, diagErr("Invalid bootstrap block",
			"trusted_in_image keeps an insecure archive trusted in the image; it needs insecure = true (here or in a parent image).",
			img.BootstrapRange.Ptr())...)
	}
	if b.Distribution == "" {
		b.Distribution = "debian"
	}
	if b.Variant == "" {
		b.Variant = "minbase"
	}
	if len(b.Components) == 0 {
		b.Components = []string{"main"}
	}
	if img.Publish != nil && img.Publish.Name == "" {
		img.Publish.Name = img.Name
	}
	sort.Slice(img.Variables, func(i, j int) bool { return img.Variables[i].Name < img.Variables[j].Name })
	describeOutputs(img)
	return append(diags, packageDatabaseDiags(img)...)
}

// duplicateOutputs refuses two outputs writing the same path: the second
// would silently replace the first.
func duplicateOutputs(outs []Output) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]Output{}
	for _, o := range outs {
		p, ok := o.Output.(pack.Pathed)
		if !ok || p.OutputPath() == "" {
			continue
		}
		key := path.Clean(p.OutputPath())
		if first, dup := seen[key]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate output path",
				Detail: fmt.Sprintf("The %s output writes %q, which the %s output at %s writes already.",
					o.Kind, p.OutputPath(), first.Kind, first.Range),
				Subject: attrRange(o.body, "path", o.Range).Ptr(),
			})
			continue
		}
		seen[key] = o
	}
	return diags
}
