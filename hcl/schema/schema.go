// Package schema describes the step and output kinds as the language
// sees them, from their gohcl tags: attributes, blocks and labels with
// their HCL types, and defaults as HCL literals. The README's reference
// (hcl/gendoc) and chrootbuild doc both read it.
package schema

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Field is one gohcl-tagged field of a kind.
type Field struct {
	Name     string // as written in HCL
	GoName   string
	Kind     string // attr, block or label
	Optional bool
	TypeName string // HCL's type expression; block or blocks for blocks
	GoType   reflect.Type
	Index    []int
}

// Fields lists the attributes, blocks and labels of struct type t in
// declaration order, as gohcl sees them.
func Fields(t reflect.Type) []Field {
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("hcl")
		if !ok {
			continue
		}
		parts := strings.Split(tag, ",")
		f := Field{Name: parts[0], GoName: sf.Name, Kind: "attr", GoType: sf.Type, Index: sf.Index}
		if len(parts) > 1 {
			switch parts[1] {
			case "optional":
				f.Optional = true
			case "block", "label":
				f.Kind = parts[1]
			default:
				continue // remain, body, ranges: not part of the language
			}
		}
		if f.Kind == "block" {
			f.Optional = sf.Type.Kind() == reflect.Slice || sf.Type.Kind() == reflect.Pointer
			f.TypeName = "block"
			if sf.Type.Kind() == reflect.Slice {
				f.TypeName = "blocks"
			}
		} else {
			f.TypeName = TypeName(sf.Type)
		}
		out = append(out, f)
	}
	return out
}

// BlockType is the struct type behind a block field.
func BlockType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// TypeName names a Go type the way HCL's type expressions do.
func TypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return TypeName(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "list(" + TypeName(t.Elem()) + ")"
	case reflect.Map:
		return "map(" + TypeName(t.Elem()) + ")"
	}
	return "any"
}

// Literal renders a non-zero default as HCL; zero values render as "".
func Literal(v reflect.Value) string {
	if !v.IsValid() || v.IsZero() {
		return ""
	}
	switch v.Kind() {
	case reflect.Pointer:
		return Literal(v.Elem())
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Slice:
		var items []string
		for i := 0; i < v.Len(); i++ {
			items = append(items, Literal(v.Index(i)))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case reflect.Map:
		var items []string
		for _, k := range v.MapKeys() {
			items = append(items, fmt.Sprintf("%q = %s", k.String(), Literal(v.MapIndex(k))))
		}
		slices.Sort(items)
		return "{ " + strings.Join(items, ", ") + " }"
	}
	return fmt.Sprint(v.Interface())
}
