package main

import (
	"fmt"
	"io"
)

func init() {
	register(&command{
		name:    "validate",
		usage:   "validate [--var k=v]... [--var-file F] PATH",
		summary: "Check a definition (a folder with image.hcl, or one .hcl file) without building it; needs no root and no network.",
		run:     runValidate,
		args:    argDefinition,
	})
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["validate"], stderr)
	vars := addVarFlags(fs)
	path, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	img := loadDefinition(path, vars, stderr)
	if img == nil {
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: image %q is valid: %d steps, %d outputs\n", path, img.Name, len(img.Steps), len(img.Outputs))
	return exitOK
}
