package main

import (
	"fmt"
	"io"
)

func init() {
	register(&command{
		name:    "plan",
		usage:   "plan [--json] [--var k=v]... [--var-file F] PATH",
		summary: "Print the resolved image: bootstrap parameters, every step and every output.",
		run:     runPlan,
	})
}

func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["plan"], stderr)
	vars := addVarFlags(fs)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	path, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	img := loadDefinition(path, vars, stderr)
	if img == nil {
		return exitFail
	}
	var err error
	if *asJSON {
		err = img.WritePlanJSON(stdout)
	} else {
		err = img.WritePlan(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild plan: writing the plan: %v\n", err)
		return exitFail
	}
	return exitOK
}
