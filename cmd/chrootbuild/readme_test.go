package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update", false, "rewrite the command table of README.md")

const (
	readmeBegin = "<!-- BEGIN GENERATED COMMANDS: go test ./cmd/chrootbuild -run TestReadmeCommands -update -->\n"
	readmeEnd   = "<!-- END GENERATED COMMANDS -->\n"
)

// commandTable renders the registry as the README's command table: each
// command's usage and summary, exactly as -h prints them.
func commandTable() string {
	var b strings.Builder
	b.WriteString("| command | what it does |\n|---|---|\n")
	for _, name := range commandNames() {
		c := commands[name]
		fmt.Fprintf(&b, "| `chrootbuild %s` | %s |\n", strings.ReplaceAll(c.usage, "|", `\|`), strings.ReplaceAll(c.summary, "|", `\|`))
	}
	return b.String()
}

// TestReadmeCommands fails when README.md's command table differs from
// the registry; -update rewrites it.
func TestReadmeCommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(readme, []byte(readmeBegin)), bytes.Index(readme, []byte(readmeEnd))
	if i < 0 || j < i {
		t.Fatal("README.md has no generated-commands markers")
	}
	want := string(readme[:i+len(readmeBegin)]) + commandTable() + string(readme[j:])
	if want == string(readme) {
		return
	}
	if *updateReadme {
		if err := os.WriteFile("../../README.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Error("README.md's command table is out of date: go test ./cmd/chrootbuild -run TestReadmeCommands -update")
}
