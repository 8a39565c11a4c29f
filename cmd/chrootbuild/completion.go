package main

import (
	"fmt"
	"io"
	"sort"
)

func init() {
	register(&command{
		name:    "completion",
		usage:   "completion bash|zsh|fish",
		summary: "Print the shell completion script: commands, flags, flag values from the registries (output formats, compressions, architectures), definition folders.",
		run:     runCompletion,
		args:    argShell,
	})
}

// completionScripts are the scripts completion prints, by shell. Each
// asks "chrootbuild __complete" (complete.go) what to offer, so the
// completions always match the binary.
var completionScripts = map[string]string{
	"bash": `# bash completion for chrootbuild. Load it with
#   source <(chrootbuild completion bash)
# or install it as /usr/share/bash-completion/completions/chrootbuild.
_chrootbuild() {
	local line=${COMP_LINE:0:COMP_POINT} words out cur arg mode
	read -ra words <<<"$line"
	if [[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]]; then words+=(""); fi
	cur=${words[-1]} arg=${words[-1]}
	[[ $arg == -*=* ]] && arg=${arg#*=}
	local IFS=$'\n'
	out=($("${words[0]}" __complete "${words[@]:1}" 2>/dev/null))
	mode=${out[0]}
	case $mode in
	files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$arg")) ;;
	dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$arg")) ;;
	words)
		COMPREPLY=("${out[@]:1}")
		if [[ $cur == -*=* && $COMP_WORDBREAKS == *=* ]]; then
			COMPREPLY=("${COMPREPLY[@]#"${cur%%=*}="}")
		fi
		if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]]; then compopt -o nospace 2>/dev/null; fi
		;;
	*) COMPREPLY=() ;;
	esac
}
complete -F _chrootbuild chrootbuild
`,
	"zsh": `#compdef chrootbuild
# zsh completion for chrootbuild. Load it with
#   source <(chrootbuild completion zsh)
# after compinit, or install it as _chrootbuild in a folder of $fpath.
_chrootbuild() {
	local -a out cands dirs others
	out=("${(@f)$(${words[1]} __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
	case ${out[1]} in
	files|dirs)
		[[ $PREFIX == -*=* ]] && compset -P '*='
		if [[ ${out[1]} == dirs ]]; then _files -/; else _files; fi
		;;
	words)
		cands=("${(@)out[2,-1]}")
		dirs=(${(M)cands:#*/})
		others=(${cands:#*/})
		(( ${#dirs} )) && compadd -S '' -- "${dirs[@]}"
		(( ${#others} )) && compadd -- "${others[@]}"
		;;
	esac
	return 0
}
if [[ ${funcstack[1]} == _chrootbuild ]]; then _chrootbuild "$@"; else compdef _chrootbuild chrootbuild; fi
`,
	"fish": `# fish completion for chrootbuild. Load it with
#   chrootbuild completion fish | source
# or install it as ~/.config/fish/completions/chrootbuild.fish.
function __chrootbuild_complete
	set -l words (commandline -opc)
	set -l cur (commandline -ct)
	set -l out ($words[1] __complete $words[2..-1] $cur 2>/dev/null)
	switch "$out[1]"
		case files
			__fish_complete_path $cur
		case dirs
			__fish_complete_directories $cur
		case words
			printf '%s\n' $out[2..-1]
	end
end
complete -c chrootbuild -f -a '(__chrootbuild_complete)'
`,
}

func shells() []string {
	var names []string
	for n := range completionScripts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func runCompletion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["completion"], stderr)
	shell, code := onePath(fs, args)
	if code >= 0 {
		return code
	}
	script, ok := completionScripts[shell]
	if !ok {
		fmt.Fprintf(stderr, "chrootbuild completion: no completion for shell %q (bash, zsh or fish)\n", shell)
		return exitUsage
	}
	io.WriteString(stdout, script)
	return exitOK
}
