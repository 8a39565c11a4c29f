package main

import (
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
)

// docIndex holds the doc comments of the types in the kinds' packages.
type docIndex struct {
	types  map[string]string            // "pkg.Type" -> doc
	fields map[string]map[string]string // "pkg.Type" -> field -> doc
}

// loadDocs parses the Go files (tests excluded) of the given package
// folders under root.
func loadDocs(root string, pkgs ...string) (*docIndex, error) {
	idx := &docIndex{types: map[string]string{}, fields: map[string]map[string]string{}}
	fset := token.NewFileSet()
	for _, pkg := range pkgs {
		names, err := filepath.Glob(filepath.Join(root, pkg, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			idx.addFile(f)
		}
	}
	return idx, nil
}

func (idx *docIndex) addFile(f *ast.File) {
	pkg := f.Name.Name
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			key := pkg + "." + ts.Name.Name
			doc := ts.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			if doc != nil {
				idx.types[key] = doc.Text()
			}
			if st, ok := ts.Type.(*ast.StructType); ok {
				idx.fields[key] = fieldDocs(st)
			}
		}
	}
}

// fieldDocs collects each field's doc or line comment, on one line.
func fieldDocs(st *ast.StructType) map[string]string {
	out := map[string]string{}
	for _, f := range st.Fields.List {
		text := ""
		if f.Doc != nil {
			text = f.Doc.Text()
		} else if f.Comment != nil {
			text = f.Comment.Text()
		}
		text = strings.Join(strings.Fields(text), " ")
		text = strings.ReplaceAll(text, "|", `\|`)
		for _, n := range f.Names {
			out[n.Name] = text
		}
	}
	return out
}

func typeKey(t reflect.Type) string {
	return filepath.Base(t.PkgPath()) + "." + t.Name()
}

// typeDoc renders the type's doc comment as Markdown, code blocks kept.
func (idx *docIndex) typeDoc(t reflect.Type) string {
	text := idx.types[typeKey(t)]
	if text == "" {
		return ""
	}
	var p comment.Parser
	pr := comment.Printer{HeadingLevel: 5}
	md := string(pr.Markdown(p.Parse(text)))
	// Go's printer indents code; fence it so the README shows HCL.
	return fenceCode(md)
}

func (idx *docIndex) fieldDoc(t reflect.Type, goName string) string {
	return idx.fields[typeKey(t)][goName]
}

// fenceCode turns the tab-indented code blocks of Go's Markdown printer
// into fenced hcl blocks.
func fenceCode(md string) string {
	var out []string
	in := false
	for _, line := range strings.Split(md, "\n") {
		isCode := strings.HasPrefix(line, "\t")
		switch {
		case isCode && !in:
			out = append(out, "```hcl")
			in = true
		case !isCode && in && line != "":
			blank := len(out) > 0 && out[len(out)-1] == ""
			if blank {
				out = out[:len(out)-1]
			}
			out = append(out, "```")
			if blank {
				out = append(out, "")
			}
			in = false
		}
		if isCode {
			line = line[1:]
		}
		out = append(out, line)
	}
	if in {
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
		out = append(out, "```", "")
	}
	return strings.Join(out, "\n")
}
