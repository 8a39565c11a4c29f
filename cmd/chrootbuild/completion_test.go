package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/pack"
)

// completionCases are command lines, the cursor at their end, and what a
// shell must offer there.
var completionCases = []struct {
	line string
	want []string
}{
	{"chrootbuild pa", []string{"pack"}},
	{"chrootbuild pack --format ", pack.FileKinds()},
	{"chrootbuild pack --format=sq", []string{"squashfs"}},
	{"chrootbuild validate images/deb", []string{"images/debian/"}},
	{"chrootbuild bootstrap --arch arm", []string{"arm64", "armhf"}},
	{"chrootbuild completion f", []string{"fish"}},
	{"chrootbuild doc provision ss", []string{"ssh_server"}},
}

// TestCompletionBash loads the bash script in bash and calls its function
// as bash's programmable completion does, words split at "=" as bash
// does (so --format=sq completes to squashfs, after the "=").
func TestCompletionBash(t *testing.T) {
	env, script := shellEnv(t, "bash")
	for _, tc := range completionCases {
		prog := `source "$1"; COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
read -ra COMP_WORDS <<<"${COMP_LINE//=/ = }"; [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _chrootbuild; printf '%s\n' "${COMPREPLY[@]}"`
		got := inShell(t, env, "bash", "-c", prog, "bash", script, tc.line)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("bash, %q: %q, want %q", tc.line, got, tc.want)
		}
	}
	got := inShell(t, env, "bash", "-c", `source "$1"; complete -p chrootbuild`, "bash", script)
	if strings.Join(got, " ") != "complete -F _chrootbuild chrootbuild" {
		t.Errorf("bash did not register the completion: %q", got)
	}
}

// TestCompletionFish asks fish's own completion engine (complete -C).
func TestCompletionFish(t *testing.T) {
	env, script := shellEnv(t, "fish")
	for _, tc := range completionCases {
		got := inShell(t, env, "fish", "-c", `source $argv[1]; complete -C $argv[2]`, script, tc.line)
		want := tc.want
		if strings.Contains(tc.line, "=") {
			want = prefixed("--format=", want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("fish, %q: %q, want %q", tc.line, got, want)
		}
	}
}

// TestCompletionZsh runs the zsh function with zsh's completion builtins
// (compadd, _files) replaced by functions that print what they are given.
func TestCompletionZsh(t *testing.T) {
	env, script := shellEnv(t, "zsh")
	for _, tc := range completionCases {
		prog := `compdef() { :; }; compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -rl -- "$@"; }
_files() { print -r -- _files "$@"; }
source $1; words=(${(z)2}); [[ $2 == *" " ]] && words+=(""); CURRENT=${#words}; PREFIX=${words[-1]}; _chrootbuild`
		got := inShell(t, env, "zsh", "-f", "-c", prog, "zsh", script, tc.line)
		want := tc.want
		if strings.Contains(tc.line, "=") {
			want = prefixed("--format=", want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("zsh, %q: %q, want %q", tc.line, got, want)
		}
	}
}

func prefixed(p string, s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = p + v
	}
	return out
}
