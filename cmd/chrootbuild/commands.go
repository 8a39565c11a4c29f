package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
)

// command is a subcommand. Each lives in its own file and registers
// itself from init(), so that replacing one file replaces the command.
type command struct {
	name    string
	usage   string // the arguments, as in "validate [--var k=v]... PATH"
	summary string // one line for the command list
	args    string // what the positional arguments are, for completion: argFiles, argDefinition, ...
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

// register adds a subcommand; a duplicate is a program bug.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("chrootbuild: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// Exit codes: 0 success, 1 the work failed (bad definition, failed
// build), 2 bad usage.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// run is the whole program but for the process: it dispatches args to
// a subcommand and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == completeCommand {
		return runComplete(args[1:], stdout)
	}
	if args[0] == "--version" || args[0] == "-version" {
		args[0] = "version"
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "chrootbuild: unknown command %q%s\n\n", args[0], suggestCommand(args[0]))
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

// usage lists the commands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: chrootbuild COMMAND [ARGS]")
	fmt.Fprintln(w, "\ncommands:")
	for _, name := range commandNames() {
		c := commands[name]
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun chrootbuild COMMAND -h for a command's flags.")
}

func commandNames() []string {
	return slices.Sorted(maps.Keys(commands))
}

func suggestCommand(name string) string {
	for _, n := range commandNames() {
		if levenshtein.Distance(name, n, nil) < 3 || strings.HasPrefix(n, name) {
			return fmt.Sprintf(" (did you mean %q?)", n)
		}
	}
	return ""
}

// newFlags returns a flag set for c that prints c's usage on -h and
// reports errors to stderr.
func newFlags(c *command, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	if probeFlags != nil {
		probeFlags(fs)
	}
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: chrootbuild %s\n\n%s\n", c.usage, c.summary)
		if hasFlags(fs) {
			fmt.Fprintln(stderr, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseArgs parses flags that may come before or after the positional
// arguments (validate PATH --var x=y); "--" ends the flags and the rest
// is positional. It returns the positional arguments and -1, or, when
// the command must stop (bad flags, -h), the exit code to return.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, int) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, exitOK
			}
			return nil, exitUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, -1
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), -1
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
