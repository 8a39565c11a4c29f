package hcl

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

// Image is a resolved image definition: variables applied, the parent
// (from) merged in, every step and output decoded and checked.
type Image struct {
	Name        string
	Version     string
	Description string
	// Path is the definition as given (a folder or a file).
	Path string
	// Dir is the folder of the definition, absolute.
	Dir string
	// Parents are the inherited definitions, nearest first.
	Parents []string

	// Bootstrap holds the merged bootstrap block; Keyring is resolved
	// against the folder of the file that set it.
	Bootstrap      debootstrap.Options
	BootstrapRange hcl.Range

	// Steps run in order: the parent's first, then the child's.
	Steps []Step
	// Outputs are the child's when it declares any, else the parent's.
	Outputs []Output
	// Publish is the publish block, nil when there is none.
	Publish *Publish

	// Variables are the resolved input variables, sorted by name.
	Variables []Variable
	// Files are every file read to produce this image (definition files
	// of the image and its parents, variable files), for cache keys.
	Files []string
	// Secrets are the texts of the sensitive values the definition uses
	// (sensitive variables, credentials read by env() and file(), what
	// is derived from them): whatever prints about the image scrubs them
	// (redact.New(img.Secrets...)).
	Secrets []string
}

// Step is one decoded provision block.
type Step struct {
	Kind string
	Step provision.Step
	// Common holds the attributes every step accepts (network).
	Common provision.Common
	// Range is the block's definition range (`provision "KIND"`).
	Range hcl.Range
	// Dir is the folder of the file that declared the step, absolute;
	// relative sources resolve against it.
	Dir string

	body    hcl.Body // for attribute ranges in later checks
	summary string   // with sensitive values redacted; "" when Step's is safe
}

// Summary is the step's one-line summary with sensitive values redacted:
// what plan, the progress lines and --json show.
func (s Step) Summary() string {
	if s.summary != "" {
		return s.summary
	}
	return s.Step.Summary()
}

// Output is one decoded output block.
type Output struct {
	Kind   string
	Output pack.Output
	Range  hcl.Range
	Dir    string

	body    hcl.Body
	summary string
}

// Summary is the output's one-line summary with sensitive values
// redacted.
func (o Output) Summary() string {
	if o.summary != "" {
		return o.summary
	}
	return o.Output.Summary()
}

// Publish is the optional publish block: where `chrootbuild publish` and
// `chrootbuild release` send the image.
type Publish struct {
	S3       string   `hcl:"s3,optional" json:"s3,omitempty"`             // s3://bucket/prefix/
	Endpoint string   `hcl:"endpoint,optional" json:"endpoint,omitempty"` // S3 endpoint URL
	Registry string   `hcl:"registry,optional" json:"registry,omitempty"` // registry/repo
	Name     string   `hcl:"name,optional" json:"name,omitempty"`         // default: the image name
	Public   bool     `hcl:"public,optional" json:"public"`
	Latest   bool     `hcl:"latest,optional" json:"latest"`
	Tags     []string `hcl:"tags,optional" json:"tags,omitempty"`

	Range hcl.Range `hcl:",def_range" json:"-"`
	Body  hcl.Body  `hcl:",body" json:"-"`
}

// Variable is a resolved input variable.
type Variable struct {
	Name        string
	Value       cty.Value
	Sensitive   bool
	Description string
	// Source says where the value came from: default, env, var-file
	// path, or --var.
	Source string
}
