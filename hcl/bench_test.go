package hcl

import "testing"

// BenchmarkLoadDebian loads images/debian (and its parent, images/common)
// as validate does.
func BenchmarkLoadDebian(b *testing.B) {
	for b.Loop() {
		if _, diags := Load("../images/debian", LoadOptions{Env: []string{}}); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
