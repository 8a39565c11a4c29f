package imagediff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText prints r for people: a packages section (+ added, - removed,
// ^ upgraded, v downgraded), a files section (+ added, - removed,
// ~ changed with what changed), and a summary line.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	if p := r.Packages; p != nil && len(p.Added)+len(p.Removed)+len(p.Upgraded)+len(p.Downgraded) > 0 {
		b.WriteString("packages:\n")
		for _, x := range p.Added {
			fmt.Fprintf(&b, "  + %s %s\n", x.Name, x.Version)
		}
		for _, x := range p.Removed {
			fmt.Fprintf(&b, "  - %s %s\n", x.Name, x.Version)
		}
		for _, x := range p.Upgraded {
			fmt.Fprintf(&b, "  ^ %s %s -> %s\n", x.Name, x.Old, x.New)
		}
		for _, x := range p.Downgraded {
			fmt.Fprintf(&b, "  v %s %s -> %s\n", x.Name, x.Old, x.New)
		}
	}
	if f := r.Files; f != nil && len(f.Added)+len(f.Removed)+len(f.Changed) > 0 {
		b.WriteString("files:\n")
		for _, p := range f.Added {
			fmt.Fprintf(&b, "  + %s\n", p)
		}
		for _, p := range f.Removed {
			fmt.Fprintf(&b, "  - %s\n", p)
		}
		for _, c := range f.Changed {
			fmt.Fprintf(&b, "  ~ %s: %s\n", c.Path, describe(c.Changes))
		}
	}
	fmt.Fprintf(&b, "summary: %s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// describe says what changed: "content 120 -> 128 bytes, mode 0644 -> 0600".
func describe(cs []Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		switch {
		case c.What == "content" && c.Old == c.New:
			parts[i] = "content (" + c.Old + " bytes)"
		case c.What == "content":
			parts[i] = "content " + c.Old + " -> " + c.New + " bytes"
		case c.What == "xattrs":
			parts[i] = "extended attributes"
		default:
			parts[i] = fmt.Sprintf("%s %s -> %s", c.What, orNone(c.Old), orNone(c.New))
		}
	}
	return strings.Join(parts, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Summary is the one-line count of the differences.
func (r *Result) Summary() string {
	if r.Equal() {
		return "no differences"
	}
	var parts []string
	if p := r.Packages; p != nil {
		parts = append(parts, fmt.Sprintf("packages: %d added, %d removed, %d upgraded, %d downgraded",
			len(p.Added), len(p.Removed), len(p.Upgraded), len(p.Downgraded)))
	}
	if f := r.Files; f != nil {
		parts = append(parts, fmt.Sprintf("files: %d added, %d removed, %d changed", len(f.Added), len(f.Removed), len(f.Changed)))
	}
	return strings.Join(parts, "; ")
}

// WriteJSON prints r as one JSON object, with "equal" and "summary".
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		*Result
		Equal   bool   `json:"equal"`
		Summary string `json:"summary"`
	}{r, r.Equal(), r.Summary()})
}
