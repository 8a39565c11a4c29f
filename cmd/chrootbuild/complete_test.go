package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

func TestComplete(t *testing.T) {
	t.Chdir("../..")
	for _, tc := range []struct {
		words []string
		mode  string
		want  []string
	}{
		{[]string{"p"}, modeWords, []string{"pack", "plan", "publish"}},
		{[]string{"nope", ""}, modeWords, nil},
		{[]string{"pack", "--comp"}, modeWords, []string{"--compression"}},
		{[]string{"pack", "--format", ""}, modeWords, pack.FileKinds()},
		{[]string{"pack", "--format=s"}, modeWords, []string{"--format=squashfs"}},
		{[]string{"pack", "--compression", "z"}, modeWords, []string{"zstd"}},
		{[]string{"bootstrap", "--arch", "arm"}, modeWords, []string{"arm64", "armhf"}},
		{[]string{"bootstrap", "--distribution", ""}, modeWords, []string{"debian", "ubuntu"}},
		{[]string{"bootstrap", "--cache", ""}, modeDirs, nil},
		{[]string{"bootstrap", ""}, modeDirs, nil},
		{[]string{"build", "--var-file", ""}, modeFiles, nil},
		{[]string{"build", "--json", "images/d"}, modeWords, []string{"images/debian/"}},
		{[]string{"validate", "images/debian/"}, modeWords, []string{"images/debian/image.hcl"}},
		{[]string{"validate", "hcl/testdata/valid/f"}, modeWords, []string{"hcl/testdata/valid/full.hcl"}},
		{[]string{"completion", ""}, modeWords, []string{"bash", "fish", "zsh"}},
		{[]string{"doc", ""}, modeWords, []string{"output", "provision"}},
		{[]string{"doc", "provision", ""}, modeWords, provision.Kinds()},
		{[]string{"doc", "output", "ta"}, modeWords, []string{"tar"}},
		{[]string{"run", "root", "--", "-"}, modeFiles, nil},
		{[]string{"publish", "out/"}, modeFiles, nil},
		{[]string{"run", "--dir", "/", "root", ""}, modeFiles, nil},
		{[]string{"run", "--dir", "/", ""}, modeDirs, nil},
	} {
		mode, got := complete(tc.words)
		if mode != tc.mode || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("complete(%q) = %s %q, want %s %q", tc.words, mode, got, tc.mode, tc.want)
		}
	}
}

// TestCompleteEveryCommandsFlags: every command gives up its flags to
// completion without doing its work (which would print to stdout).
func TestCompleteEveryCommandsFlags(t *testing.T) {
	for _, name := range commandNames() {
		fs := flagsOf(commands[name])
		if name != "version" && name != "completion" && name != "shell" && name != "doc" && len(flagNames(fs)) == 0 {
			t.Errorf("%s: no flags found", name)
		}
	}
	if _, got := complete([]string{"build", "--st"}); !reflect.DeepEqual(got, []string{"--step-cache", "--step-cache-limit"}) {
		t.Errorf("build flags: %q", got)
	}
}

// shellEnv puts a chrootbuild on PATH that is this test binary acting as
// the command, and returns the environment and the completion script for
// shell, written to a file.
func shellEnv(t *testing.T, shell string) ([]string, string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	write(t, filepath.Join(bin, "chrootbuild"), "#!/bin/sh\nCHROOTBUILD_TEST_AS_MAIN=1 exec "+self+" \"$@\"\n")
	if err := os.Chmod(filepath.Join(bin, "chrootbuild"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, script, _ := runCLI("completion", shell)
	if code != exitOK {
		t.Fatalf("completion %s: exit %d", shell, code)
	}
	name := filepath.Join(bin, "script."+shell)
	write(t, name, script)
	return append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "HOME="+bin), name
}

// inShell runs a shell program in the repository root and returns its
// output's lines.
func inShell(t *testing.T, env []string, shell string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(testenv.RequireTool(t, shell), args...)
	cmd.Env, cmd.Dir = env, "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", shell, args, err, out)
	}
	return strings.Fields(string(out))
}
