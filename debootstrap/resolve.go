package debootstrap

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"pault.ag/go/debian/dependency"
)

// resolver picks the package set the way apt does on a fresh system:
// every seed is marked first, then each Pre-Depends and Depends relation
// is satisfied by what is already marked when possible, else by its first
// installable alternative, a virtual name going to its best provider.
type resolver struct {
	u        *universe
	exclude  map[string]bool
	selected map[string]*Package
	parent   map[string]string // who pulled a package in, for error chains
	queue    []*Package
}

// seeds lists the packages a variant starts from. On a merged /usr that
// chrootbuild sets up itself, usr-is-merged is seeded so that the
// "usrmerge | usr-is-merged" dependency does not pull usrmerge and perl
// in, as debootstrap does.
func (u *universe) seeds(variant string, mergedUsr bool) ([]string, error) {
	prio := map[string]bool{}
	switch variant {
	case "essential":
	case "", "minbase":
		prio["required"] = true
	case "standard":
		prio["required"], prio["important"] = true, true
	default:
		return nil, fmt.Errorf("unknown variant %q (want essential, minbase or standard)", variant)
	}
	var names []string
	for name, p := range u.pkgs {
		if p.Essential || prio[p.Priority] {
			names = append(names, name)
		}
	}
	if _, ok := u.pkgs["usr-is-merged"]; ok && mergedUsr {
		names = append(names, "usr-is-merged")
	}
	sort.Strings(names)
	return names, nil
}

// resolve returns the closure of seeds and include minus exclude, sorted
// by name.
func (u *universe) resolve(seeds, include, exclude []string) ([]*Package, error) {
	r := &resolver{u: u, exclude: map[string]bool{}, selected: map[string]*Package{}, parent: map[string]string{}}
	for _, x := range exclude {
		r.exclude[x] = true
	}
	for _, name := range seeds {
		if !r.exclude[name] {
			r.mark(u.pkgs[name], "")
		}
	}
	for _, name := range include {
		if err := r.include(name); err != nil {
			return nil, err
		}
	}
	for len(r.queue) > 0 {
		p := r.queue[0]
		r.queue = r.queue[1:]
		if err := r.depends(p); err != nil {
			return nil, err
		}
	}
	out := make([]*Package, 0, len(r.selected))
	for _, p := range r.selected {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (r *resolver) include(name string) error {
	if r.exclude[name] {
		return fmt.Errorf("package %s is both included and excluded", name)
	}
	alt := dependency.Possibility{Name: name}
	if r.satisfied(alt) {
		return nil
	}
	p := r.candidate(alt)
	if p == nil {
		return fmt.Errorf("package %s: %w", name, errNoPackage)
	}
	r.mark(p, "")
	return nil
}

var errNoPackage = fmt.Errorf("not found in the archive")

func (r *resolver) mark(p *Package, parent string) {
	if _, ok := r.selected[p.Name]; ok {
		return
	}
	r.selected[p.Name] = p
	r.parent[p.Name] = parent
	r.queue = append(r.queue, p)
}

func (r *resolver) depends(p *Package) error {
	rels := append(parseDeps(p.PreDepends), parseDeps(p.Depends)...)
	for _, rel := range rels {
		if slices.ContainsFunc(rel.Possibilities, r.satisfied) {
			continue
		}
		var pick *Package
		for _, alt := range rel.Possibilities {
			if pick = r.candidate(alt); pick != nil {
				break
			}
		}
		if pick == nil {
			if r.excludedOnly(rel) {
				continue // the user excluded it on purpose, as debootstrap allows
			}
			return fmt.Errorf("unsatisfiable dependency %s: %s", depString(rel), r.chain(p.Name))
		}
		r.mark(pick, p.Name)
	}
	return nil
}

// satisfied reports whether a marked package meets alt, by name or by
// what it provides.
func (r *resolver) satisfied(alt dependency.Possibility) bool {
	if p, ok := r.selected[alt.Name]; ok && satisfies(alt, p.Version) {
		return true
	}
	for _, pv := range r.u.providers[alt.Name] {
		if _, ok := r.selected[pv.pkg.Name]; ok && satisfies(alt, pv.version) {
			return true
		}
	}
	return false
}

// candidate returns the package apt would install for alt: the real
// package of that name, else the best provider.
func (r *resolver) candidate(alt dependency.Possibility) *Package {
	if p, ok := r.u.pkgs[alt.Name]; ok && !r.exclude[p.Name] && satisfies(alt, p.Version) {
		return p
	}
	var best *Package
	for _, pv := range r.u.providers[alt.Name] {
		if r.exclude[pv.pkg.Name] || !satisfies(alt, pv.version) {
			continue
		}
		if best == nil || priorityRank(pv.pkg) < priorityRank(best) ||
			(priorityRank(pv.pkg) == priorityRank(best) && pv.pkg.Name < best.Name) {
			best = pv.pkg
		}
	}
	return best
}

func (r *resolver) excludedOnly(rel dependency.Relation) bool {
	for _, alt := range rel.Possibilities {
		if r.exclude[alt.Name] {
			return true
		}
	}
	return false
}

// chain names the path from a seed or include to name.
func (r *resolver) chain(name string) string {
	path := []string{name}
	for p := r.parent[name]; p != ""; p = r.parent[p] {
		path = append(path, p)
	}
	slices.Reverse(path)
	return "needed by " + strings.Join(path, " -> ")
}

func depString(rel dependency.Relation) string {
	return dependency.Dependency{Relations: []dependency.Relation{rel}}.String()
}
