package main

import (
	"context"
	"fmt"
	"io"

	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/internal/redact"
)

func init() {
	register(&command{
		name:    "plan",
		usage:   "plan [--json] [--cache-status=false] [--step-cache DIR] [--var k=v]... [--var-file F] PATH",
		summary: "Print the resolved image: bootstrap parameters, every step (and whether the step cache has it) and every output.",
		run:     runPlan,
		args:    argDefinition,
	})
}

func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["plan"], stderr)
	vars := addVarFlags(fs)
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	cacheStatus := fs.Bool("cache-status", true, "show which steps a build would take from the step cache (needs the mirror; off with --cache-status=false)")
	stepCache := fs.String("step-cache", "", "step cache folder (default "+cachedir.Dir(cachedir.Default).Steps()+")")
	path, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	img := loadDefinition(path, vars, stderr)
	if img == nil {
		return exitFail
	}
	p := img.Plan()
	if *cacheStatus {
		status, err := builder.CacheStatus(context.Background(), img, *stepCache)
		if err != nil {
			fmt.Fprintf(stderr, "chrootbuild plan: step cache status unknown: %v\n", redact.New(img.Secrets...).Error(err))
		} else {
			p.MarkCache(status)
		}
	}
	var err error
	if *asJSON {
		err = p.WriteJSON(stdout)
	} else {
		err = p.Write(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild plan: writing the plan: %v\n", err)
		return exitFail
	}
	return exitOK
}
