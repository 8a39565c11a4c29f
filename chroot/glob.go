package chroot

import (
	"path"
	"sort"
	"strings"
)

// Glob returns the paths inside the root matching pattern (path.Match
// syntax per component), sorted. Folders on the way are followed inside
// the root; a malformed pattern is path.ErrBadPattern.
func (r *Root) Glob(pattern string) ([]string, error) {
	pattern = clean(pattern)
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, pathErr("matching", pattern, err)
	}
	matches := []string{"/"}
	if pattern == "/" {
		return matches, nil
	}
	for _, comp := range strings.Split(pattern[1:], "/") {
		var next []string
		for _, dir := range matches {
			next = append(next, r.globIn(dir, comp)...)
		}
		matches = next
	}
	sort.Strings(matches)
	return matches, nil
}

// globIn returns the entries of dir matching one pattern component.
func (r *Root) globIn(dir, comp string) []string {
	if !hasMeta(comp) {
		p := path.Join(dir, comp)
		if _, err := r.Lstat(p); err != nil {
			return nil
		}
		return []string{p}
	}
	entries, err := r.ReadDir(dir)
	if err != nil {
		return nil // not a folder, or gone: no match, as filepath.Glob
	}
	var out []string
	for _, e := range entries {
		if ok, _ := path.Match(comp, e.Name()); ok {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	return out
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }
