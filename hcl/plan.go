package hcl

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/chrootbuild/chrootbuild/internal/redact"
	"github.com/chrootbuild/chrootbuild/pack"
)

// Plan is the resolved image as `chrootbuild plan` shows it.
type Plan struct {
	Name        string         `json:"name"`
	Version     string         `json:"version,omitempty"`
	Description string         `json:"description,omitempty"`
	Path        string         `json:"path"`
	Parents     []string       `json:"parents,omitempty"`
	Bootstrap   PlanBootstrap  `json:"bootstrap"`
	Variables   []PlanVariable `json:"variables"`
	Steps       []PlanItem     `json:"steps"`
	Outputs     []PlanItem     `json:"outputs"`
	Publish     *Publish       `json:"publish,omitempty"`
	Files       []string       `json:"files"`

	scrub *redact.Scrubber // what Write scrubs from the text as a last resort
}

// PlanBootstrap is the bootstrap part of a Plan.
type PlanBootstrap struct {
	Distribution   string   `json:"distribution"`
	Suite          string   `json:"suite"`
	Arch           string   `json:"arch"` // "" means the host's
	Variant        string   `json:"variant"`
	Mirror         string   `json:"mirror"` // "" means the default
	Components     []string `json:"components"`
	Include        []string `json:"include"`
	Exclude        []string `json:"exclude"`
	Keyring        string   `json:"keyring,omitempty"`
	Insecure       bool     `json:"insecure"`
	AllowExpired   bool     `json:"allow_expired,omitempty"`
	TrustedInImage bool     `json:"trusted_in_image,omitempty"`
	Source         string   `json:"source"`
	Cache          string   `json:"cache,omitempty"` // as PlanItem.Cache
}

// PlanVariable is a resolved variable; sensitive values are hidden.
type PlanVariable struct {
	Name      string          `json:"name"`
	Value     json.RawMessage `json:"value"`
	Sensitive bool            `json:"sensitive"`
	Source    string          `json:"source"`
}

// PlanItem is a step or an output: its position in the build, kind,
// where it is declared, and its one-line summary.
type PlanItem struct {
	Index   int    `json:"index"`
	Kind    string `json:"kind"`
	Source  string `json:"source"`
	Summary string `json:"summary"`
	Path    string `json:"path,omitempty"`
	// Cache says whether a build now would take the step from the step
	// cache ("cached") or run it ("runs"); "" when unknown.
	Cache string `json:"cache,omitempty"`
}

// Plan returns the image's plan.
func (img *Image) Plan() *Plan {
	b := img.Bootstrap
	p := &Plan{
		Name: img.Name, Version: img.Version, Description: img.Description, Path: img.Path,
		Parents: img.Parents, Publish: img.Publish, Files: img.Files,
		Bootstrap: PlanBootstrap{Distribution: b.Distribution, Suite: b.Suite, Arch: b.Arch,
			Variant: b.Variant, Mirror: b.Mirror, Components: nonNil(b.Components), Include: nonNil(b.Include),
			Exclude: nonNil(b.Exclude), Keyring: b.Keyring, Insecure: b.Insecure,
			AllowExpired: b.AllowExpired, TrustedInImage: b.TrustedInImage, Source: pos(img.BootstrapRange)},
		Variables: []PlanVariable{}, Steps: []PlanItem{}, Outputs: []PlanItem{},
	}
	for _, v := range img.Variables {
		raw := json.RawMessage(`"(sensitive)"`)
		if !v.Sensitive {
			if j, err := ctyjson.Marshal(v.Value, v.Value.Type()); err == nil {
				raw = j
			}
		}
		p.Variables = append(p.Variables, PlanVariable{Name: v.Name, Value: raw, Sensitive: v.Sensitive, Source: v.Source})
	}
	for i, s := range img.Steps {
		p.Steps = append(p.Steps, PlanItem{Index: i + 1, Kind: s.Kind, Source: pos(s.Range), Summary: stepSummary(s)})
	}
	for i, o := range img.Outputs {
		it := PlanItem{Index: i + 1, Kind: o.Kind, Source: pos(o.Range), Summary: o.Summary()}
		if pt, ok := o.Output.(pack.Pathed); ok {
			it.Path = pt.OutputPath()
		}
		p.Outputs = append(p.Outputs, it)
	}
	scrubPlan(p, redact.New(img.Secrets...))
	return p
}

// scrubPlan replaces sensitive values in every text of p that comes from
// the definition: steps and outputs are redacted at the source already,
// this catches a secret used as a mirror, a version or a publish target.
func scrubPlan(p *Plan, sc *redact.Scrubber) {
	p.scrub = sc
	for _, s := range []*string{&p.Version, &p.Description, &p.Bootstrap.Mirror, &p.Bootstrap.Keyring} {
		*s = sc.String(*s)
	}
	for _, list := range []*[]string{&p.Bootstrap.Components, &p.Bootstrap.Include, &p.Bootstrap.Exclude} {
		*list = append([]string{}, *list...) // the image's own stay as they are
		for i := range *list {
			(*list)[i] = sc.String((*list)[i])
		}
	}
	for _, items := range [][]PlanItem{p.Steps, p.Outputs} {
		for i := range items {
			items[i].Summary, items[i].Path = sc.String(items[i].Summary), sc.String(items[i].Path)
		}
	}
	if p.Publish != nil {
		pub := *p.Publish
		pub.S3, pub.Endpoint, pub.Registry, pub.Name = sc.String(pub.S3), sc.String(pub.Endpoint), sc.String(pub.Registry), sc.String(pub.Name)
		pub.Tags = append([]string{}, pub.Tags...)
		for i := range pub.Tags {
			pub.Tags[i] = sc.String(pub.Tags[i])
		}
		p.Publish = &pub
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// pos formats a range's start as file:line.
func pos(r hcl.Range) string { return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line) }

// WritePlanJSON writes the plan as indented JSON.
func (img *Image) WritePlanJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return img.Plan().WriteJSON(w)
}

// WriteJSON writes the plan as indented JSON.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// MarkCache records, from status (the base first, then each step), which
// parts a build would take from the step cache.
func (p *Plan) MarkCache(status []bool) {
	word := func(cached bool) string {
		if cached {
			return "cached"
		}
		return "runs"
	}
	if len(status) != len(p.Steps)+1 {
		return
	}
	p.Bootstrap.Cache = word(status[0])
	for i := range p.Steps {
		p.Steps[i].Cache = word(status[i+1])
	}
}

// WritePlan writes the plan as text, one step or output a line.
func (img *Image) WritePlan(w io.Writer) error { return img.Plan().Write(w) }

// Write writes the plan as text, one step or output a line.
func (p *Plan) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "image %s", p.Name)
	if p.Version != "" {
		fmt.Fprintf(&b, " %s", p.Version)
	}
	fmt.Fprintf(&b, " (%s)\n", p.Path)
	if p.Description != "" {
		fmt.Fprintf(&b, "  %s\n", p.Description)
	}
	for _, par := range p.Parents {
		fmt.Fprintf(&b, "  from %s\n", par)
	}
	writeBootstrap(&b, &p.Bootstrap)
	if len(p.Variables) > 0 {
		fmt.Fprintf(&b, "\nvariables:\n")
		for _, v := range p.Variables {
			fmt.Fprintf(&b, "  %s = %s  (%s)\n", v.Name, v.Value, v.Source)
		}
	}
	writeItems(&b, "steps", p.Steps)
	writeItems(&b, "outputs", p.Outputs)
	if pub := p.Publish; pub != nil {
		fmt.Fprintf(&b, "\npublish: name %s", pub.Name)
		if pub.S3 != "" {
			fmt.Fprintf(&b, ", s3 %s", pub.S3)
		}
		if pub.Registry != "" {
			fmt.Fprintf(&b, ", registry %s", pub.Registry)
		}
		fmt.Fprintf(&b, ", public %t, latest %t\n", pub.Public, pub.Latest)
	}
	_, err := io.WriteString(w, p.scrub.String(b.String()))
	return err
}

func writeBootstrap(b *strings.Builder, bs *PlanBootstrap) {
	arch, mirror := or(bs.Arch, "(the host's)"), or(bs.Mirror, "(the distribution's default)")
	fmt.Fprintf(b, "\nbootstrap (%s):%s\n", bs.Source, cacheNote(bs.Cache))
	fmt.Fprintf(b, "  %s %s, arch %s, variant %s\n", bs.Distribution, bs.Suite, arch, bs.Variant)
	fmt.Fprintf(b, "  mirror %s, components %s\n", mirror, strings.Join(bs.Components, " "))
	if len(bs.Include) > 0 {
		fmt.Fprintf(b, "  include %s\n", strings.Join(bs.Include, " "))
	}
	if len(bs.Exclude) > 0 {
		fmt.Fprintf(b, "  exclude %s\n", strings.Join(bs.Exclude, " "))
	}
	if bs.Keyring != "" || bs.Insecure {
		fmt.Fprintf(b, "  keyring %s, insecure %t\n", or(bs.Keyring, "(shipped)"), bs.Insecure)
	}
	if bs.AllowExpired || bs.TrustedInImage {
		fmt.Fprintf(b, "  allow_expired %t, trusted_in_image %t\n", bs.AllowExpired, bs.TrustedInImage)
	}
}

func writeItems(b *strings.Builder, title string, items []PlanItem) {
	fmt.Fprintf(b, "\n%s:\n", title)
	if len(items) == 0 {
		fmt.Fprintf(b, "  (none)\n")
	}
	for _, it := range items {
		fmt.Fprintf(b, "  %2d. %-14s %-32s %s%s\n", it.Index, it.Kind, it.Source, it.Summary, cacheNote(it.Cache))
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func cacheNote(c string) string {
	if c == "" {
		return ""
	}
	return " [" + c + "]"
}

// stepSummary is the step's one-line summary, with what its common
// attributes change.
func stepSummary(s Step) string {
	if !s.Common.Network {
		return s.Summary() + " (no network)"
	}
	return s.Summary()
}
