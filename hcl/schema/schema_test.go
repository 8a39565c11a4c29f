package schema

import (
	"reflect"
	"strings"
	"testing"
)

func TestHCLTypeAndLiteral(t *testing.T) {
	type s struct {
		A string              `hcl:"a"`
		B *int                `hcl:"b,optional"`
		C []string            `hcl:"c,optional"`
		D map[string][]string `hcl:"d,optional"`
		E []struct{}          `hcl:"e,block"`
		F string              `hcl:",remain"`
	}
	fs := Fields(reflect.TypeOf(s{}))
	var got []string
	for _, f := range fs {
		got = append(got, f.Name+":"+f.TypeName)
	}
	if strings.Join(got, " ") != "a:string b:number c:list(string) d:map(list(string)) e:blocks" {
		t.Errorf("fields = %v", got)
	}
	one := 1
	v := reflect.ValueOf(s{A: "x", B: &one, C: []string{"p", "q"}})
	if l := Literal(v.Field(0)) + Literal(v.Field(1)) + Literal(v.Field(2)); l != `"x"1["p", "q"]` {
		t.Errorf("literals = %s", l)
	}
}
