package provision

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/chrootbuild/chrootbuild/check"
)

// File writes one file into the image:
//
//	provision "file" {
//	  path    = "/etc/motd"
//	  content = "Welcome\n"        # or source = "files/motd"
//	  mode    = "0644"             # or template = "motd.tpl", vars = {...}
//	  owner   = "root"
//	}
//
// Exactly one of content, source (a file beside the definition) or
// template (an HCL template beside the definition, rendered with vars as
// ${name}) gives the data. The file replaces whatever was at path; missing
// parent folders are created 0755. Owner and group are looked up in the
// image's own /etc/passwd and /etc/group; without them the file is
// root's (owner alone gives the owner's primary group).
type File struct {
	Path     string            `hcl:"path"`
	Content  *string           `hcl:"content,optional"`
	Source   string            `hcl:"source,optional"`
	Template string            `hcl:"template,optional"`
	Vars     map[string]string `hcl:"vars,optional"`
	Mode     string            `hcl:"mode,optional"`
	Owner    string            `hcl:"owner,optional"`
	Group    string            `hcl:"group,optional"`
}

func init() {
	register("file", func() Step { return &File{Mode: "0644"} })
}

// Check validates the attributes without touching the system.
func (f *File) Check() error {
	errs := []error{check.AbsPath("path", f.Path), checkOwner("owner", f.Owner), checkOwner("group", f.Group)}
	if _, err := check.Mode("mode", f.Mode); err != nil {
		errs = append(errs, err)
	}
	n := 0
	if f.Content != nil {
		n++
	}
	if f.Source != "" {
		n++
		errs = append(errs, check.RelPath("source", f.Source))
	}
	if f.Template != "" {
		n++
		errs = append(errs, check.RelPath("template", f.Template))
	}
	if n != 1 {
		errs = append(errs, check.Fieldf("", "exactly one of content, source or template must be set, got %d", n))
	}
	if len(f.Vars) > 0 && f.Template == "" {
		errs = append(errs, check.Fieldf("vars", "vars only apply to a template"))
	}
	return errors.Join(errs...)
}

// InputFiles returns the source or template the step reads.
func (f *File) InputFiles() []string {
	switch {
	case f.Source != "":
		return []string{f.Source}
	case f.Template != "":
		return []string{f.Template}
	}
	return nil
}

// Summary is a one-line description.
func (f *File) Summary() string {
	from := "inline content"
	switch {
	case f.Source != "":
		from = f.Source
	case f.Template != "":
		from = "template " + f.Template
	}
	return fmt.Sprintf("file %s (%s, mode %s%s)", f.Path, from, f.Mode, ownerSummary(f.Owner, f.Group))
}

// Apply writes the file, then sets its mode and owner.
func (f *File) Apply(ctx context.Context, env *Env) error {
	mode, err := check.Mode("mode", f.Mode)
	if err != nil {
		return err
	}
	uid, gid, err := ownerIDs(env.Root, f.Owner, f.Group)
	if err != nil {
		return err
	}
	data, err := f.data(env.Dir)
	if err != nil {
		return err
	}
	if err := putFile(env.Root, f.Path, data, permMode(mode)); err != nil {
		return err
	}
	return setOwnerMode(env.Root, f.Path, uid, gid, permMode(mode))
}

func (f *File) data(dir string) ([]byte, error) {
	switch {
	case f.Content != nil:
		return []byte(*f.Content), nil
	case f.Source != "":
		return readInput(dir, f.Source)
	}
	src, err := readInput(dir, f.Template)
	if err != nil {
		return nil, err
	}
	return renderTemplate(filepath.Join(dir, f.Template), src, f.Vars)
}

// renderTemplate renders an HCL template (the syntax of templatefile) with
// vars as its only variables; diagnostics name the template's file and line.
func renderTemplate(name string, src []byte, vars map[string]string) ([]byte, error) {
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		return nil, fmt.Errorf("parsing template: %w", diags)
	}
	vals := make(map[string]cty.Value, len(vars))
	for k, v := range vars {
		vals[k] = cty.StringVal(v)
	}
	out, diags := expr.Value(&hcl.EvalContext{Variables: vals})
	if diags.HasErrors() {
		return nil, fmt.Errorf("rendering template: %w", diags)
	}
	if out.IsNull() || !out.Type().Equals(cty.String) || !out.IsKnown() {
		return nil, fmt.Errorf("rendering template %s: result is not a string", name)
	}
	return []byte(out.AsString()), nil
}

// ownerSummary describes owner and group for a Summary, empty when unset.
func ownerSummary(owner, group string) string {
	switch {
	case owner != "" && group != "":
		return ", " + owner + ":" + group
	case owner != "":
		return ", owner " + owner
	case group != "":
		return ", group " + group
	}
	return ""
}
