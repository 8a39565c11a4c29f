package main

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// field is one gohcl-tagged field of a kind.
type field struct {
	name     string // as written in HCL
	goName   string
	kind     string // attr, block or label
	optional bool
	typeName string
	goType   reflect.Type
	index    []int
}

// hclFields lists the attributes, blocks and labels of struct type t in
// declaration order, as gohcl sees them.
func hclFields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("hcl")
		if !ok {
			continue
		}
		parts := strings.Split(tag, ",")
		f := field{name: parts[0], goName: sf.Name, kind: "attr", goType: sf.Type, index: sf.Index}
		if len(parts) > 1 {
			switch parts[1] {
			case "optional":
				f.optional = true
			case "block", "label":
				f.kind = parts[1]
			default:
				continue // remain, body, ranges: not part of the language
			}
		}
		if f.kind == "block" {
			f.optional = sf.Type.Kind() == reflect.Slice || sf.Type.Kind() == reflect.Pointer
			f.typeName = "block"
			if sf.Type.Kind() == reflect.Slice {
				f.typeName = "blocks"
			}
		} else {
			f.typeName = hclType(sf.Type)
		}
		out = append(out, f)
	}
	return out
}

// blockType is the struct type behind a block field.
func blockType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// hclType names a Go type the way HCL's type expressions do.
func hclType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return hclType(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "list(" + hclType(t.Elem()) + ")"
	case reflect.Map:
		return "map(" + hclType(t.Elem()) + ")"
	}
	return "any"
}

// literal renders a non-zero default as HCL; zero values render as "".
func literal(v reflect.Value) string {
	if !v.IsValid() || v.IsZero() {
		return ""
	}
	switch v.Kind() {
	case reflect.Pointer:
		return literal(v.Elem())
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Slice:
		var items []string
		for i := 0; i < v.Len(); i++ {
			items = append(items, literal(v.Index(i)))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case reflect.Map:
		var items []string
		for _, k := range v.MapKeys() {
			items = append(items, fmt.Sprintf("%q = %s", k.String(), literal(v.MapIndex(k))))
		}
		slices.Sort(items)
		return "{ " + strings.Join(items, ", ") + " }"
	}
	return fmt.Sprint(v.Interface())
}
