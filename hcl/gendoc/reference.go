package main

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/chrootbuild/chrootbuild/hcl/schema"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

// kind is one registered kind and its Go value, with its defaults set;
// about is a line on what it produces and notes are attribute notes that
// come from the registry rather than from doc comments.
type kind struct {
	name  string
	value any
	about string
	notes map[string]string
}

func stepKinds() []kind {
	var out []kind
	for _, n := range provision.Kinds() {
		s, _ := provision.New(n)
		out = append(out, kind{name: n, value: s})
	}
	return out
}

func outputKinds() []kind {
	var out []kind
	for _, n := range pack.Kinds() {
		o, _ := pack.New(n)
		k := kind{name: n, value: o, about: products[pack.ProductOf(o)], notes: map[string]string{}}
		if c, ok := o.(pack.Compressible); ok {
			k.notes["compression"] = strings.Join(c.Compressions(), ", ")
		}
		out = append(out, k)
	}
	return out
}

// products says, for the README, what each product of an output is.
var products = map[pack.Product]string{
	pack.ProductRootArchive: "Produces a root archive: one file, with a `.sha256` beside it, kept by the step cache, uploaded by `--publish`, pushed by `release` and booted by `boot` (not with xz).",
	pack.ProductSBOM:        "Produces an SBOM: one file, with a `.sha256` beside it, kept by the step cache, uploaded by `--publish` and attached by `release` to the image it describes.",
	pack.ProductFile:        "Produces one file, with a `.sha256` beside it, kept by the step cache and uploaded by `--publish`.",
	pack.ProductFolder:      "Produces a folder under the output folder.",
	pack.ProductDevice:      "Writes to a device; nothing is kept under the output folder.",
}

// Reference renders the step and output kinds as Markdown. root is the
// repository root, where the kinds' source gives their doc comments.
func Reference(root string) ([]byte, error) {
	docs, err := loadDocs(root, "provision", "pack")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	commonSection(&b, docs)
	section(&b, docs, "Step kinds", "provision", stepKinds())
	section(&b, docs, "Output kinds", "output", outputKinds())
	return b.Bytes(), nil
}

// commonSection renders the attributes every step accepts.
func commonSection(b *bytes.Buffer, docs *docIndex) {
	c := provision.NewCommon()
	t := reflect.TypeOf(c)
	b.WriteString("\n### Attributes of every step\n\n")
	if d := docs.typeDoc(t); d != "" {
		b.WriteString(d + "\n")
	}
	writeTable(b, docs, t, reflect.ValueOf(c), "", nil)
}

func section(b *bytes.Buffer, docs *docIndex, title, block string, kinds []kind) {
	fmt.Fprintf(b, "\n### %s\n\n", title)
	var links []string
	for _, k := range kinds {
		links = append(links, fmt.Sprintf("[`%s`](#%s-%s)", k.name, block, anchor(k.name)))
	}
	b.WriteString(strings.Join(links, " · ") + "\n")
	for _, k := range kinds {
		t := reflect.TypeOf(k.value).Elem()
		fmt.Fprintf(b, "\n#### %s \"%s\"\n\n", block, k.name)
		if d := docs.typeDoc(t); d != "" {
			b.WriteString(d)
			b.WriteString("\n")
		}
		if k.about != "" {
			b.WriteString(k.about + "\n\n")
		}
		writeTable(b, docs, t, reflect.ValueOf(k.value).Elem(), "", k.notes)
	}
	b.WriteString("\n")
}

// anchor is GitHub's heading anchor for "provision "NAME"".
func anchor(name string) string {
	out := []rune{}
	for _, r := range name {
		if r != '"' {
			out = append(out, r)
		}
	}
	return string(out)
}

// writeTable writes the attributes of struct type t (value v holds the
// defaults); nested blocks get their own table, prefixed.
func writeTable(b *bytes.Buffer, docs *docIndex, t reflect.Type, v reflect.Value, prefix string, notes map[string]string) {
	fields := schema.Fields(t)
	if len(fields) == 0 {
		fmt.Fprintf(b, "No attributes.\n")
		return
	}
	fmt.Fprintf(b, "| attribute | type | required | default | notes |\n|---|---|---|---|---|\n")
	var nested []schema.Field
	for _, f := range fields {
		if f.Kind == "block" {
			nested = append(nested, f)
		}
		if f.Kind == "label" {
			continue
		}
		def := ""
		if v.IsValid() {
			def = schema.Literal(v.FieldByIndex(f.Index))
		}
		note := docs.fieldDoc(t, f.GoName)
		if n, ok := notes[f.Name]; ok {
			note = n
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s | %s | %s |\n", prefix, f.Name, f.TypeName, yes(!f.Optional), code(def), note)
	}
	for _, f := range nested {
		et := schema.BlockType(f.GoType)
		label := ""
		for _, lf := range schema.Fields(et) {
			if lf.Kind == "label" {
				label = fmt.Sprintf(" \"%s\"", lf.Name)
			}
		}
		fmt.Fprintf(b, "\nIn each `%s%s` block:\n\n", f.Name, label)
		writeTable(b, docs, et, reflect.Value{}, prefix+f.Name+".", nil)
	}
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}
