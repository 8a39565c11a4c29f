// Command gendoc writes the language reference of README.md, the step and
// output kinds with their attributes, from the registries themselves:
// provision.Kinds and pack.Kinds give the kinds, reflection over each
// kind's gohcl tags gives its attributes and defaults, and the Go doc
// comments of the kind's type and fields give the prose. The README can
// therefore never list a kind that does not exist or miss one that does.
//
// Usage, from the repository root:
//
//	go run ./hcl/gendoc            # rewrite the reference in README.md
//	go run ./hcl/gendoc -check     # exit 1 when README.md is out of date
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
)

func main() {
	readme := flag.String("readme", "README.md", "the README to update")
	root := flag.String("root", "", "the repository root holding provision/ and pack/ (default: the README's folder)")
	checkOnly := flag.Bool("check", false, "only check that the README is up to date")
	flag.Parse()
	if err := run(*readme, *root, *checkOnly); err != nil {
		fmt.Fprintln(os.Stderr, "gendoc:", err)
		os.Exit(1)
	}
}

func run(readme, root string, checkOnly bool) error {
	if root == "" {
		root = dirOf(readme)
	}
	old, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	ref, err := Reference(root)
	if err != nil {
		return err
	}
	updated, err := Splice(old, ref)
	if err != nil {
		return fmt.Errorf("%s: %w", readme, err)
	}
	if bytes.Equal(old, updated) {
		return nil
	}
	if checkOnly {
		return fmt.Errorf("%s: the language reference is out of date: run go run ./hcl/gendoc", readme)
	}
	return os.WriteFile(readme, updated, 0o644)
}
