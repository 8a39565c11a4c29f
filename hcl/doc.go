// Package hcl loads chrootbuild image definitions written in HCL native
// syntax: variables, locals, functions, the image block with its bootstrap,
// provision and output blocks, inheritance through `from`, and strict
// diagnostics. Every mistake is an hcl.Diagnostic with a source range, so
// it prints with the offending line and a caret; nothing is built from a
// definition that has one.
//
// Step and output kinds are not known here: a `provision "KIND"` or
// `output "KIND"` block is decoded in two passes, its label first, then its
// body into the value that provision.New or pack.New returns for the kind.
package hcl

//go:generate go run ./gendoc -readme ../README.md
