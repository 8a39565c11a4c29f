package oci

import (
	"fmt"
	"strings"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/epoch"
	"github.com/google/go-containerregistry/pkg/name"
)

// tagRefs returns the references to push: the version tag of o.Ref first,
// then the YYYY-MM-DD tag of created, each extra tag and latest, without
// repeats.
func tagRefs(o ReleaseOptions, created time.Time) ([]name.Tag, error) {
	var opts []name.Option
	if o.Insecure {
		opts = append(opts, name.Insecure)
	}
	if !hasTag(o.Ref) {
		return nil, fmt.Errorf("reference %q: name the version tag, as in REGISTRY/REPO:TAG", o.Ref)
	}
	first, err := name.NewTag(o.Ref, append(opts, name.StrictValidation)...)
	if err != nil {
		return nil, fmt.Errorf("reference %q: %w", o.Ref, err)
	}
	tags := append([]string{first.TagStr(), created.UTC().Format("2006-01-02")}, o.Tags...)
	if o.Latest {
		tags = append(tags, "latest")
	}
	refs := []name.Tag{first}
	seen := map[string]bool{first.TagStr(): true}
	for _, t := range tags {
		if seen[t] {
			continue
		}
		seen[t] = true
		ref, err := name.NewTag(first.Repository.Name()+":"+t, append(opts, name.StrictValidation)...)
		if err != nil {
			return nil, fmt.Errorf("tag %q: %w", t, err)
		}
		refs = append(refs, ref)
	}
	return refs, nil
}

// hasTag reports whether ref ends in :TAG (a colon after the last slash,
// so that a registry port is not taken for a tag) and has no digest.
func hasTag(ref string) bool {
	if strings.Contains(ref, "@") {
		return false
	}
	last := ref[strings.LastIndex(ref, "/")+1:]
	return strings.Contains(last, ":") && !strings.HasSuffix(last, ":")
}

// createdTime is t, or SOURCE_DATE_EPOCH when t is zero and it is set, or
// now; always UTC and whole seconds.
func createdTime(t time.Time) (time.Time, error) {
	if !t.IsZero() {
		return t.UTC().Truncate(time.Second), nil
	}
	now, err := epoch.Now()
	return now.Truncate(time.Second), err
}
