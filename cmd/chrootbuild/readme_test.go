package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeListsCommands checks the README's command table against the
// registry: every command appears with its usage exactly as -h prints it
// (pipes escaped for the Markdown table).
func TestReadmeListsCommands(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, name := range commandNames() {
		usage := strings.ReplaceAll(commands[name].usage, "|", `\|`)
		if !strings.Contains(readme, "| `chrootbuild "+usage+"` |") {
			t.Errorf("README.md does not list `chrootbuild %s`", commands[name].usage)
		}
	}
}
