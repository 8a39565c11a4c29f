package debootstrap

import (
	"strings"

	"pault.ag/go/debian/dependency"
	"pault.ag/go/debian/version"
)

// universe is every package of the suite for one architecture, the best
// (highest) version of each name, and who provides each virtual name.
type universe struct {
	pkgs      map[string]*Package
	providers map[string][]provided
}

// provided is one Provides entry: pkg provides a name at version ("" for
// an unversioned Provides, which satisfies only unversioned dependencies).
type provided struct {
	pkg     *Package
	version string
}

func newUniverse(arch string, lists ...[]Package) *universe {
	u := &universe{pkgs: map[string]*Package{}, providers: map[string][]provided{}}
	for _, list := range lists {
		for i := range list {
			p := &list[i]
			if p.Arch != arch && p.Arch != "all" {
				continue
			}
			if old, ok := u.pkgs[p.Name]; ok && compareVersions(old.Version, p.Version) >= 0 {
				continue
			}
			u.pkgs[p.Name] = p
		}
	}
	for _, p := range u.pkgs {
		for _, pv := range parseProvides(p.Provides) {
			u.providers[pv[0]] = append(u.providers[pv[0]], provided{pkg: p, version: pv[1]})
		}
	}
	return u
}

// parseProvides reads a Provides field into (name, version) pairs,
// version "" when unversioned. It is a few string cuts rather than the
// full relation parser: it runs over every package of the archive, and
// Provides allows only "name" and "name (= version)".
func parseProvides(field string) [][2]string {
	if field == "" {
		return nil
	}
	var out [][2]string
	for _, item := range strings.Split(field, ",") {
		name, rest, _ := strings.Cut(strings.TrimSpace(item), "(")
		name, _, _ = strings.Cut(strings.TrimSpace(name), ":")
		v := ""
		if rest, ok := strings.CutPrefix(strings.TrimSpace(rest), "="); ok {
			v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), ")"))
		}
		if name != "" {
			out = append(out, [2]string{name, v})
		}
	}
	return out
}

func compareVersions(a, b string) int {
	va, errA := version.Parse(a)
	vb, errB := version.Parse(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return version.Compare(va, vb)
}

// parseDeps parses a Depends-style field; a malformed field yields
// nothing rather than failing the whole build on one odd package.
func parseDeps(field string) []dependency.Relation {
	if strings.TrimSpace(field) == "" {
		return nil
	}
	d, err := dependency.Parse(field)
	if err != nil {
		return nil
	}
	return d.Relations
}

// satisfies reports whether version v meets the possibility's constraint.
func satisfies(alt dependency.Possibility, v string) bool {
	if alt.Version == nil {
		return true
	}
	if v == "" {
		return false
	}
	pv, err := version.Parse(v)
	if err != nil {
		return false
	}
	return alt.Version.SatisfiedBy(pv)
}

// priorityRank orders providers the way apt's candidate choice leans:
// more important priorities first.
func priorityRank(p *Package) int {
	switch p.Priority {
	case "required":
		return 0
	case "important":
		return 1
	case "standard":
		return 2
	case "optional":
		return 3
	}
	return 4
}
