package debootstrap

// chosenGraph links the chosen packages through their Pre-Depends and
// Depends, each relation going to the chosen package that satisfies it.
type chosenGraph struct {
	chosen   []*Package
	byName   map[string]*Package
	provides map[string]*Package
}

func newChosenGraph(chosen []*Package) *chosenGraph {
	g := &chosenGraph{chosen: chosen, byName: map[string]*Package{}, provides: map[string]*Package{}}
	for _, p := range chosen {
		g.byName[p.Name] = p
		for _, rel := range parseDeps(p.Provides) {
			for _, alt := range rel.Possibilities {
				g.provides[alt.Name] = p
			}
		}
	}
	return g
}

// deps returns what p needs among the chosen packages, pre-dependencies
// first.
func (g *chosenGraph) deps(p *Package) []*Package {
	var out []*Package
	for _, rel := range append(parseDeps(p.PreDepends), parseDeps(p.Depends)...) {
		var hit *Package
		for _, alt := range rel.Possibilities {
			if hit = g.byName[alt.Name]; hit != nil {
				break
			}
		}
		for i := 0; hit == nil && i < len(rel.Possibilities); i++ {
			hit = g.provides[rel.Possibilities[i].Name]
		}
		if hit != nil {
			out = append(out, hit)
		}
	}
	return out
}

// installOrder sorts the chosen packages so that each comes after what it
// pre-depends and depends on (cycles, which Debian has a few of, are cut
// where they are met); dpkg then unpacks them in this order and finds
// every pre-dependency already there.
func (g *chosenGraph) installOrder() []*Package {
	seen := map[string]bool{}
	var out []*Package
	var visit func(p *Package)
	visit = func(p *Package) {
		if seen[p.Name] {
			return
		}
		seen[p.Name] = true
		for _, d := range g.deps(p) {
			visit(d)
		}
		out = append(out, p)
	}
	for _, p := range g.chosen {
		visit(p)
	}
	return out
}

// essentialSet returns the Essential packages and everything they need:
// what has to be on disk before dpkg can run in the root.
func (g *chosenGraph) essentialSet() map[string]bool {
	set := map[string]bool{}
	var walk func(p *Package)
	walk = func(p *Package) {
		if set[p.Name] {
			return
		}
		set[p.Name] = true
		for _, d := range g.deps(p) {
			walk(d)
		}
	}
	for _, p := range g.chosen {
		if p.Essential {
			walk(p)
		}
	}
	return set
}
