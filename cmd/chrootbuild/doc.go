package main

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/chrootbuild/chrootbuild/hcl/schema"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

func init() {
	register(&command{
		name:    "doc",
		usage:   "doc [provision|output [KIND]]",
		summary: "List the step (provision) and output kinds, or show a kind's block: its attributes with their types, whether required, and defaults.",
		run:     runDoc,
		args:    argDocKind,
	})
}

// docClasses are the block classes doc knows, with their registries.
var docClasses = map[string]struct {
	kinds func() []string
	value func(kind string) (any, bool)
}{
	"provision": {provision.Kinds, func(k string) (any, bool) { return provision.New(k) }},
	"output":    {pack.Kinds, func(k string) (any, bool) { return pack.New(k) }},
}

func runDoc(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["doc"], stderr)
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) == 0 {
		for _, class := range []string{"provision", "output"} {
			for _, k := range docClasses[class].kinds() {
				fmt.Fprintf(stdout, "%s %q\n", class, k)
			}
		}
		return exitOK
	}
	c, ok := docClasses[pos[0]]
	if !ok || len(pos) > 2 {
		fs.Usage()
		return exitUsage
	}
	if len(pos) == 1 {
		fmt.Fprintln(stdout, strings.Join(c.kinds(), "\n"))
		return exitOK
	}
	v, ok := c.value(pos[1])
	if !ok {
		fmt.Fprintf(stderr, "chrootbuild doc: there is no %s kind %q; the %s kinds are: %s\n", pos[0], pos[1], pos[0], strings.Join(c.kinds(), ", "))
		return exitFail
	}
	fmt.Fprintf(stdout, "%s %q {\n", pos[0], pos[1])
	writeBlockDoc(stdout, reflect.ValueOf(v).Elem(), "  ")
	fmt.Fprintln(stdout, "}")
	return exitOK
}

// writeBlockDoc writes a block's attributes as NAME = TYPE lines with
// what is required and the defaults, then its nested blocks.
func writeBlockDoc(w io.Writer, v reflect.Value, indent string) {
	fields := schema.Fields(v.Type())
	width := 0
	for _, f := range fields {
		if f.Kind == "attr" {
			width = max(width, len(f.Name))
		}
	}
	for _, f := range fields {
		if f.Kind != "attr" {
			continue
		}
		note := "optional"
		if !f.Optional {
			note = "required"
		} else if d := schema.Literal(v.FieldByIndex(f.Index)); d != "" {
			note += ", default " + d
		}
		fmt.Fprintf(w, "%s%-*s = %s  # %s\n", indent, width, f.Name, f.TypeName, note)
	}
	for _, f := range fields {
		if f.Kind != "block" {
			continue
		}
		et := schema.BlockType(f.GoType)
		label := ""
		for _, lf := range schema.Fields(et) {
			if lf.Kind == "label" {
				label = fmt.Sprintf(" %q", strings.ToUpper(lf.Name))
			}
		}
		fmt.Fprintf(w, "%s%s%s {  # %s\n", indent, f.Name, label, map[bool]string{true: "any number", false: "one"}[f.TypeName == "blocks"])
		writeBlockDoc(w, reflect.New(et).Elem(), indent+"  ")
		fmt.Fprintf(w, "%s}\n", indent)
	}
}
