package main

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/hcl/schema"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

// TestReadmeUpToDate fails when README.md's reference differs from what
// the registries give now: run go run ./hcl/gendoc.
func TestReadmeUpToDate(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Reference("../..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Splice(readme, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readme, want) {
		t.Fatal("README.md's language reference is out of date: run go run ./hcl/gendoc")
	}
}

// TestReferenceCoversRegistry checks the reference itself: every
// registered kind has its heading and a row for each of its attributes.
func TestReferenceCoversRegistry(t *testing.T) {
	ref, err := Reference("../..")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(ref)
	check := func(block, name string, v any) {
		if !strings.Contains(doc, "#### "+block+" \""+name+"\"\n") {
			t.Errorf("no heading for %s %q", block, name)
		}
		for _, f := range schema.Fields(reflect.TypeOf(v).Elem()) {
			if f.Kind == "attr" && !strings.Contains(doc, "| `"+f.Name+"` |") {
				t.Errorf("%s %q: no row for %s", block, name, f.Name)
			}
		}
	}
	if len(provision.Kinds()) == 0 || len(pack.Kinds()) == 0 {
		t.Fatal("empty registry")
	}
	for _, k := range stepKinds() {
		check("provision", k.name, k.value)
	}
	for _, k := range outputKinds() {
		check("output", k.name, k.value)
	}
}

func TestSplice(t *testing.T) {
	doc := []byte("a\n" + beginMarker + "old\n" + endMarker + "b\n")
	got, err := Splice(doc, []byte("new\n"))
	if err != nil || string(got) != "a\n"+beginMarker+"new\n"+endMarker+"b\n" {
		t.Errorf("Splice = %q, %v", got, err)
	}
	if _, err := Splice([]byte(endMarker+beginMarker), nil); err == nil {
		t.Error("END before BEGIN accepted")
	}
}

func TestFenceCode(t *testing.T) {
	got := fenceCode("Intro:\n\n\tx = 1\n\ty = 2\n\nAfter.\n")
	want := "Intro:\n\n```hcl\nx = 1\ny = 2\n```\n\nAfter.\n"
	if got != want {
		t.Errorf("fenceCode =\n%q\nwant\n%q", got, want)
	}
}
