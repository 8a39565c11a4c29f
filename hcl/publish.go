package hcl

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/chrootbuild/chrootbuild/check"
)

var (
	s3RE       = regexp.MustCompile(`^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^/]+/)*$`)
	registryRE = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+$`)
	tagRE      = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)
	nameRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// check validates the publish block; it has no range of its own per
// attribute yet, so errors point at the block.
func (p *Publish) check() hcl.Diagnostics {
	var errs []error
	if p.S3 == "" && p.Registry == "" {
		errs = append(errs, check.Fieldf("", "a publish block needs s3, registry, or both"))
	}
	if p.S3 != "" && !s3RE.MatchString(p.S3) {
		errs = append(errs, check.Fieldf("s3", "%q is not an S3 prefix like s3://bucket/prefix/ (ending in /)", p.S3))
	}
	if p.Endpoint != "" {
		if u, err := url.Parse(p.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, check.Fieldf("endpoint", "%q is not an http:// or https:// URL", p.Endpoint))
		}
	}
	if p.Registry != "" && (strings.Contains(p.Registry, "://") || !registryRE.MatchString(p.Registry)) {
		errs = append(errs, check.Fieldf("registry", "%q is not a repository like registry.example.com/team/image (no scheme, no tag)", p.Registry))
	}
	if p.Name != "" && !nameRE.MatchString(p.Name) {
		errs = append(errs, check.Fieldf("name", "%q is not a valid file name prefix (letters, digits, ., _ and -)", p.Name))
	}
	for _, t := range p.Tags {
		if !tagRE.MatchString(t) {
			errs = append(errs, check.Fieldf("tags", "%q is not a valid tag (letters, digits, ., _ and -, at most 128)", t))
		}
	}
	return fieldDiags("Invalid publish block", []error{errors.Join(errs...)}, p.Body, p.Range, nil)
}
