package main

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

// kind is one registered kind and its Go value, with its defaults set.
type kind struct {
	name  string
	value any
}

func stepKinds() []kind {
	var out []kind
	for _, n := range provision.Kinds() {
		s, _ := provision.New(n)
		out = append(out, kind{n, s})
	}
	return out
}

func outputKinds() []kind {
	var out []kind
	for _, n := range pack.Kinds() {
		o, _ := pack.New(n)
		out = append(out, kind{n, o})
	}
	return out
}

// Reference renders the step and output kinds as Markdown. root is the
// repository root, where the kinds' source gives their doc comments.
func Reference(root string) ([]byte, error) {
	docs, err := loadDocs(root, "provision", "pack")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	section(&b, docs, "Step kinds", "provision", stepKinds())
	section(&b, docs, "Output kinds", "output", outputKinds())
	return b.Bytes(), nil
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
		writeTable(b, docs, t, reflect.ValueOf(k.value).Elem(), "")
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
func writeTable(b *bytes.Buffer, docs *docIndex, t reflect.Type, v reflect.Value, prefix string) {
	fields := hclFields(t)
	if len(fields) == 0 {
		fmt.Fprintf(b, "No attributes.\n")
		return
	}
	fmt.Fprintf(b, "| attribute | type | required | default | notes |\n|---|---|---|---|---|\n")
	var nested []field
	for _, f := range fields {
		if f.kind == "block" {
			nested = append(nested, f)
		}
		if f.kind == "label" {
			continue
		}
		def := ""
		if v.IsValid() {
			def = literal(v.FieldByIndex(f.index))
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s | %s | %s |\n", prefix, f.name, f.typeName, yes(!f.optional), code(def), docs.fieldDoc(t, f.goName))
	}
	for _, f := range nested {
		et := blockType(f.goType)
		label := ""
		for _, lf := range hclFields(et) {
			if lf.kind == "label" {
				label = fmt.Sprintf(" \"%s\"", lf.name)
			}
		}
		fmt.Fprintf(b, "\nIn each `%s%s` block:\n\n", f.name, label)
		writeTable(b, docs, et, reflect.Value{}, prefix+f.name+".")
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

// sortedKeys returns the keys of m sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
