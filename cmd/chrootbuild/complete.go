package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/pack"
)

// completeCommand is the hidden command the completion scripts call:
// "chrootbuild __complete WORD... CURRENT" prints how to complete
// CURRENT, the last word (possibly empty): a first line "words", "files"
// or "dirs", then for "words" the candidates, one a line. The shells'
// own file and folder completion handles "files" and "dirs".
const completeCommand = "__complete"

// What a command's positional arguments are, for completion.
const (
	argFiles      = "" // any file (the default)
	argDefinition = "definition"
	argDir        = "dir"
	argShell      = "shell"
	argDocKind    = "doc" // provision|output, then a kind of the registry
)

// Completion modes, the first line __complete prints.
const (
	modeWords = "words"
	modeFiles = "files"
	modeDirs  = "dirs"
)

// flagValues are the values of flags that take one of a fixed set, from
// the registries that own them; folderFlags take a folder.
var (
	flagValues = map[string]func() []string{
		"format":       pack.FileKinds,
		"compression":  allCompressions,
		"arch":         func() []string { return arch.Names(true) },
		"distribution": func() []string { return hcl.Distributions },
		"variant":      func() []string { return hcl.Variants },
	}
	folderFlags = map[string]bool{"out": true, "cache": true, "cache-dir": true, "step-cache": true,
		"layer-cache": true, "modules": true, "dir": true}
)

func runComplete(words []string, stdout io.Writer) int {
	if len(words) == 0 {
		words = []string{""}
	}
	mode, cands := complete(words)
	fmt.Fprintln(stdout, mode)
	for _, c := range cands {
		fmt.Fprintln(stdout, c)
	}
	return exitOK
}

// complete returns how to complete the last of words, the arguments after
// "chrootbuild".
func complete(words []string) (string, []string) {
	cur, before := words[len(words)-1], words[:len(words)-1]
	if len(before) == 0 {
		return modeWords, withPrefix(commandNames(), cur)
	}
	c := commands[before[0]]
	if c == nil {
		return modeWords, nil
	}
	fs := flagsOf(c)
	if prev := before[len(before)-1]; len(before) > 1 && takesValue(fs, prev) && !slices.Contains(before, "--") {
		return completeValue(strings.TrimLeft(prev, "-"), "", cur)
	}
	if strings.HasPrefix(cur, "-") && !slices.Contains(before, "--") {
		if name, val, ok := strings.Cut(cur, "="); ok {
			return completeValue(strings.TrimLeft(name, "-"), name+"=", val)
		}
		return modeWords, withPrefix(flagNames(fs), cur)
	}
	if c.args == argDocKind {
		return completeDoc(before[1:], cur)
	}
	if positionals(fs, before[1:]) > 0 {
		return modeFiles, nil // past the first argument: ROOT -- CMD, FILE... s3://
	}
	return completeArg(c.args, cur)
}

// positionals counts the arguments among words that are neither flags
// nor flag values.
func positionals(fs *flag.FlagSet, words []string) int {
	n := 0
	for i, w := range words {
		switch {
		case w == "--":
			return n + len(words) - i // all that follows, and the word completed
		case strings.HasPrefix(w, "-"):
		case i > 0 && takesValue(fs, words[i-1]):
		default:
			n++
		}
	}
	return n
}

// completeValue completes the value of flag name; prefix is put before
// each candidate (for --name=value words).
func completeValue(name, prefix, cur string) (string, []string) {
	if values, ok := flagValues[name]; ok {
		var out []string
		for _, v := range withPrefix(values(), cur) {
			out = append(out, prefix+v)
		}
		sort.Strings(out)
		return modeWords, out
	}
	if folderFlags[name] {
		return modeDirs, nil
	}
	return modeFiles, nil
}

// completeDoc completes doc's arguments: the block class, then one of
// its kinds from the registry.
func completeDoc(args []string, cur string) (string, []string) {
	switch len(args) {
	case 0:
		return modeWords, withPrefix([]string{"output", "provision"}, cur)
	case 1:
		if c, ok := docClasses[args[0]]; ok {
			return modeWords, withPrefix(c.kinds(), cur)
		}
	}
	return modeWords, nil
}

// completeArg completes a positional argument of the given kind.
func completeArg(kind, cur string) (string, []string) {
	switch kind {
	case argDefinition:
		return modeWords, definitions(cur)
	case argDir:
		return modeDirs, nil
	case argShell:
		return modeWords, withPrefix(shells(), cur)
	}
	return modeFiles, nil
}

// definitions lists what a definition PATH can be below the folder cur
// names: folders (with a trailing slash, to go on) and *.hcl files.
// Hidden entries show only when cur's last part starts with a dot.
func definitions(cur string) []string {
	dir, base := filepath.Split(cur)
	entries, err := os.ReadDir(filepath.Clean("./" + dir))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, base) || strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.IsDir() {
			out = append(out, dir+n+"/")
		} else if strings.HasSuffix(n, ".hcl") {
			out = append(out, dir+n)
		}
	}
	return out
}

// flagsOf returns c's flag set without running c's work: c runs with -h,
// which every command answers right after newFlags and parsing, while
// newFlags hands over the set it makes and usage goes nowhere.
func flagsOf(c *command) *flag.FlagSet {
	var fs *flag.FlagSet
	probeFlags = func(f *flag.FlagSet) { fs = f }
	defer func() { probeFlags = nil }()
	c.run([]string{"-h"}, io.Discard, io.Discard)
	if fs == nil {
		return flag.NewFlagSet(c.name, flag.ContinueOnError)
	}
	return fs
}

// probeFlags, when set, receives each flag set newFlags makes.
var probeFlags func(*flag.FlagSet)

// flagNames lists fs's flags as --name, sorted.
func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, "--"+f.Name) })
	sort.Strings(names)
	return names
}

// takesValue reports whether word is a flag of fs that takes its value
// from the next word.
func takesValue(fs *flag.FlagSet, word string) bool {
	if !strings.HasPrefix(word, "-") || strings.Contains(word, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(word, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

func withPrefix(all []string, prefix string) []string {
	var out []string
	for _, s := range all {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// allCompressions is every compression some output kind takes, sorted.
func allCompressions() []string {
	var all []string
	for _, k := range pack.Kinds() {
		for _, c := range pack.Compressions(k) {
			if !slices.Contains(all, c) {
				all = append(all, c)
			}
		}
	}
	sort.Strings(all)
	return all
}
