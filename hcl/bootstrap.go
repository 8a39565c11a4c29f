package hcl

import (
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/debootstrap"
)

// bootstrapBlock is the image's `bootstrap` block. Its attributes are
// pointers so that a child image overrides only those it sets.
type bootstrapBlock struct {
	Distribution *string   `hcl:"distribution,optional"`
	Suite        *string   `hcl:"suite,optional"`
	Arch         *string   `hcl:"arch,optional"`
	Variant      *string   `hcl:"variant,optional"`
	Mirror       *string   `hcl:"mirror,optional"`
	Components   *[]string `hcl:"components,optional"`
	Include      *[]string `hcl:"include,optional"`
	Exclude      *[]string `hcl:"exclude,optional"`
	Keyring      *string   `hcl:"keyring,optional"`
	Insecure     *bool     `hcl:"insecure,optional"`
	AllowExpired *bool     `hcl:"allow_expired,optional"`
	// TrustedInImage keeps an insecure archive's "Trusted: yes" in the
	// finished image's apt sources.
	TrustedInImage *bool     `hcl:"trusted_in_image,optional"`
	Body           hcl.Body  `hcl:",body"`
	DefRange       hcl.Range `hcl:",def_range"`
}

// Distributions, Variants: the values the bootstrap block accepts.
var (
	Distributions = []string{"debian", "ubuntu"}
	Variants      = []string{"essential", "minbase", "standard"}
)

// options checks the block and returns the options it sets; decoding
// are the diagnostics of decoding it (see fieldDiags).
func (b *bootstrapBlock) options(dir string, decoding hcl.Diagnostics) (debootstrap.Options, hcl.Diagnostics) {
	var o debootstrap.Options
	b.overlay(&o, dir)
	var errs []error
	if b.Distribution != nil {
		errs = append(errs, check.OneOf("distribution", o.Distribution, Distributions...))
	}
	if b.Suite != nil && o.Suite == "" {
		errs = append(errs, check.Fieldf("suite", "suite is empty"))
	}
	if b.Arch != nil {
		errs = append(errs, check.Arch("arch", o.Arch))
	}
	if b.Variant != nil {
		errs = append(errs, check.OneOf("variant", o.Variant, Variants...))
	}
	return o, fieldDiags("Invalid bootstrap block", errs, b.Body, b.DefRange, decoding)
}

// overlay copies the attributes the block sets onto o; a relative keyring
// resolves against dir, the folder of the declaring file.
func (b *bootstrapBlock) overlay(o *debootstrap.Options, dir string) {
	set(&o.Distribution, b.Distribution)
	set(&o.Suite, b.Suite)
	set(&o.Arch, b.Arch)
	set(&o.Variant, b.Variant)
	set(&o.Mirror, b.Mirror)
	set(&o.Components, b.Components)
	set(&o.Include, b.Include)
	set(&o.Exclude, b.Exclude)
	set(&o.Insecure, b.Insecure)
	set(&o.AllowExpired, b.AllowExpired)
	set(&o.TrustedInImage, b.TrustedInImage)
	if b.Keyring != nil {
		o.Keyring = *b.Keyring
		if o.Keyring != "" && !filepath.IsAbs(o.Keyring) {
			o.Keyring = filepath.Join(dir, o.Keyring)
		}
	}
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
