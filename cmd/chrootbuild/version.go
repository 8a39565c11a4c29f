package main

import (
	"fmt"
	"io"
	"runtime"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func init() {
	register(&command{
		name:    "version",
		usage:   "version",
		summary: "Print the version of chrootbuild and of the Go toolchain that built it.",
		run:     runVersion,
	})
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["version"], stderr)
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	fmt.Fprintf(stdout, "chrootbuild %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
