package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/chrootbuild/chrootbuild/hcl"
)

// varFlags are the --var and --var-file flags shared by the commands
// that load a definition (validate, plan, build).
type varFlags struct {
	vars  map[string]string
	files []string
}

// addVarFlags registers --var and --var-file on fs.
func addVarFlags(fs *flag.FlagSet) *varFlags {
	v := &varFlags{vars: map[string]string{}}
	fs.Func("var", "set a variable: `name=value` (repeatable)", func(s string) error {
		name, value, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return fmt.Errorf("%q is not name=value", s)
		}
		v.vars[name] = value
		return nil
	})
	fs.Func("var-file", "read variables from an HCL `file` of name = value lines (repeatable)", func(s string) error {
		v.files = append(v.files, s)
		return nil
	})
	return v
}

// loadDefinition loads the definition at path and prints its
// diagnostics to stderr. It returns nil when there were errors.
func loadDefinition(path string, v *varFlags, stderr io.Writer) *hcl.Image {
	l := hcl.NewLoader(hcl.LoadOptions{Vars: v.vars, VarFiles: v.files})
	img, diags := l.Load(path)
	if len(diags) > 0 {
		l.WriteDiagnostics(stderr, diags, 100)
	}
	if diags.HasErrors() {
		fmt.Fprintf(stderr, "chrootbuild: %s: %d error(s)\n", path, len(diags.Errs()))
		return nil
	}
	return img
}

// onePath parses fs and returns its single positional argument.
func onePath(fs *flag.FlagSet, args []string) (string, int) {
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return "", code
	}
	if len(pos) != 1 {
		fs.Usage()
		return "", exitUsage
	}
	return pos[0], -1
}
