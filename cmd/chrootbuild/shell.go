package main

import (
	"io"
	"path/filepath"

	"github.com/chrootbuild/chrootbuild/chroot"
)

func init() {
	register(&command{
		name:    "shell",
		usage:   "shell ROOT",
		summary: "Open an interactive shell (bash, else sh) inside an image root.",
		run:     runShell,
		args:    argDir,
	})
}

func runShell(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["shell"], stderr)
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	shell := "/bin/sh"
	if r, err := chroot.Open(pos[0]); err == nil {
		if fi, err := r.Stat("/bin/bash"); err == nil && fi.Mode().IsRegular() {
			shell = "/bin/bash"
		}
	}
	// debian_chroot shows the root's name in the prompt of Debian's bashrc.
	env := []string{"debian_chroot=" + filepath.Base(filepath.Clean(pos[0]))}
	return enterRoot("shell", pos[0], chroot.Cmd{Args: []string{shell}, Env: env}, stdout, stderr)
}
