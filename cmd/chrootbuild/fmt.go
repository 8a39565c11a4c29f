package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	hashihcl "github.com/hashicorp/hcl/v2"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/hcl/hclfmt"
)

func init() {
	register(&command{
		name:    "fmt",
		usage:   "fmt [-check] [-diff] [-write=false] [-recursive] [PATH...]",
		summary: "Rewrite definition files (a file, a folder's *.hcl, - for standard input) in the canonical HCL layout, comments kept; -check exits 3 when one would change.",
		run:     runFmt,
	})
}

// exitUnformatted is fmt -check's exit code when a file would change, as
// `packer fmt -check` and `terraform fmt -check`.
const exitUnformatted = 3

// stdin is what "fmt -" reads; a test replaces it.
var stdin io.Reader = os.Stdin

// fmtFlags are fmt's settings.
type fmtFlags struct {
	check, diff, write, recursive bool
}

func runFmt(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["fmt"], stderr)
	var f fmtFlags
	fs.BoolVar(&f.check, "check", false, "change nothing; list the files that are not formatted and exit 3 if any")
	fs.BoolVar(&f.diff, "diff", false, "print a unified diff of the changes")
	fs.BoolVar(&f.write, "write", true, "rewrite the files (false: only list them)")
	fs.BoolVar(&f.recursive, "recursive", false, "also format the folders below each folder")
	paths, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if len(paths) == 1 && paths[0] == "-" {
		return fmtStdin(f, stdout, stderr)
	}
	files, err := hclfmt.Files(paths, f.recursive)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild fmt: %v\n", err)
		return exitFail
	}
	failed, changed := false, false
	for _, name := range files {
		switch fmtFile(name, f, stdout, stderr) {
		case fileFailed:
			failed = true
		case fileChanged:
			changed = true
		}
	}
	switch {
	case failed:
		return exitFail
	case changed && f.check:
		return exitUnformatted
	}
	return exitOK
}

// fileResult is what fmt did with one file.
type fileResult int

const (
	fileSame    fileResult = iota // already formatted
	fileChanged                   // rewritten, or with -check would be
	fileFailed                    // unreadable, invalid or not written
)

// fmtFile formats one file: it prints the file's name when its layout
// changes, the diff with -diff, and rewrites it unless -check or
// -write=false.
func fmtFile(name string, f fmtFlags, stdout, stderr io.Writer) fileResult {
	src, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild fmt: %v\n", err)
		return fileFailed
	}
	out, ok := formatted(name, src, stderr)
	if !ok {
		return fileFailed
	}
	if bytes.Equal(src, out) {
		return fileSame
	}
	fmt.Fprintln(stdout, name)
	if f.diff {
		io.WriteString(stdout, hclfmt.Diff(name, src, out))
	}
	if f.write && !f.check {
		if err := hclfmt.WriteFile(name, out); err != nil {
			fmt.Fprintf(stderr, "chrootbuild fmt: %v\n", err)
			return fileFailed
		}
	}
	return fileChanged
}

// formatted formats src, printing its diagnostics when it does not parse.
func formatted(name string, src []byte, stderr io.Writer) ([]byte, bool) {
	out, file, diags := hclfmt.Source(src, name)
	if diags.HasErrors() {
		hcl.WriteDiagnostics(stderr, map[string]*hashihcl.File{name: file}, diags, 100)
		fmt.Fprintf(stderr, "chrootbuild fmt: %s: not valid HCL, left as it is\n", name)
		return nil, false
	}
	return out, true
}

// fmtStdin formats standard input to standard output; with -check it
// prints nothing and exits 3 when the input is not formatted.
func fmtStdin(f fmtFlags, stdout, stderr io.Writer) int {
	src, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild fmt: reading standard input: %v\n", err)
		return exitFail
	}
	out, ok := formatted("<stdin>", src, stderr)
	switch {
	case !ok:
		return exitFail
	case f.diff:
		io.WriteString(stdout, hclfmt.Diff("<stdin>", src, out))
	case !f.check:
		stdout.Write(out)
	}
	if f.check && !bytes.Equal(src, out) {
		return exitUnformatted
	}
	return exitOK
}
