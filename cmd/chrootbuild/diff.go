package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/chrootbuild/chrootbuild/imagediff"
)

func init() {
	register(&command{
		name:    "diff",
		usage:   "diff [--json] OLD NEW",
		summary: "Show what differs between two images (root folders or tars: packages and files) or two package manifests; exits 0 when equal, 1 when they differ, 2 on error.",
		run:     runDiff,
	})
}

// exitDiffError is diff's exit code on error, as diff(1): 1 means the
// inputs differ.
const exitDiffError = 2

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["diff"], stderr)
	asJSON := fs.Bool("json", false, "print the differences as JSON")
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 2 {
		fs.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := imagediff.Compare(ctx, pos[0], pos[1])
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild diff: %v\n", err)
		return exitDiffError
	}
	if *asJSON {
		err = r.WriteJSON(stdout)
	} else {
		err = r.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild diff: %v\n", err)
		return exitDiffError
	}
	if r.Equal() {
		return exitOK
	}
	return exitFail
}
