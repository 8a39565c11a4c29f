// Package rootdiff holds what the equivalence tests of the install paths
// share: the comparison of two roots (imagediff's, minus the paths that
// differ by nature) and dpkg's own checks of each.
package rootdiff

import (
	"context"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/imagediff"
)

// Compare lists the differences between the roots a and b, one line per
// path: type, content, mode, owner, link target, device and xattrs, never
// times (imagediff). The paths in ignore (relative, like
// "etc/machine-id") are left out.
func Compare(ctx context.Context, a, b string, ignore []string) ([]string, error) {
	r, err := imagediff.Compare(ctx, a, b)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, p := range ignore {
		skip["/"+strings.TrimPrefix(p, "/")] = true
	}
	var diffs []string
	for _, p := range r.Files.Added {
		if !skip[p] {
			diffs = append(diffs, fmt.Sprintf("%s: only in %s", p, b))
		}
	}
	for _, p := range r.Files.Removed {
		if !skip[p] {
			diffs = append(diffs, fmt.Sprintf("%s: only in %s", p, a))
		}
	}
	for _, c := range r.Files.Changed {
		if !skip[c.Path] {
			diffs = append(diffs, fmt.Sprintf("%s: %v", c.Path, c.Changes))
		}
	}
	return diffs, nil
}
