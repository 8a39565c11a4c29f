package provision

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// decodeStep decodes src (a block body) into a fresh step of kind, the way
// the language loader does, and fails the test on decoding errors.
func decodeStep(t *testing.T, kind, src string) Step {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing: %v", diags)
	}
	s, ok := New(kind)
	if !ok {
		t.Fatalf("kind %q is not registered", kind)
	}
	if diags := gohcl.DecodeBody(f.Body, nil, s); diags.HasErrors() {
		t.Fatalf("decoding %s: %v", kind, diags)
	}
	return s
}
