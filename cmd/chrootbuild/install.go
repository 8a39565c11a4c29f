package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/pack/nbd"
)

func init() {
	register(&command{
		name:    "install",
		usage:   "install [--yes] [--label L] [--timeout D] [--tmp DIR] ROOT|TAR TARGET",
		summary: "Install an image onto a block device or an NBD export (nbd://host:port[/export]).",
		run:     runInstall,
	})
}

func runInstall(args []string, stdout, stderr io.Writer) int {
	fs := newFlags(commands["install"], stderr)
	var o pack.InstallOptions
	fs.BoolVar(&o.Yes, "yes", false, "erase the block device without asking")
	fs.StringVar(&o.Label, "label", "rootfs", "file-system `label`")
	fs.DurationVar(&o.Timeout, "timeout", nbd.DefaultTimeout, "NBD: how long to wait for each handshake step and each reply")
	fs.StringVar(&o.TempDir, "tmp", "/var/tmp", "`folder` for the temporary image (NBD) and the extracted tar")
	pos, code := parseArgs(fs, args)
	if code >= 0 {
		return code
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "chrootbuild install: give the ROOT folder or TAR, then the TARGET (/dev/... or nbd://host:port[/export])")
		fs.Usage()
		return exitUsage
	}
	if err := pack.CheckTarget(pos[1]); err != nil {
		fmt.Fprintf(stderr, "chrootbuild install: %v\n", err)
		return exitUsage
	}
	o.Log = stdout
	if term.IsTerminal(int(os.Stdin.Fd())) {
		o.Confirm = func(prompt string) bool { return confirm(prompt, os.Stdin, stderr) }
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := pack.Install(ctx, pos[0], pos[1], o); err != nil {
		fmt.Fprintf(stderr, "chrootbuild install: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "installed %s on %s\n", pos[0], pos[1])
	return exitOK
}

// confirm asks a yes/no question; only "yes" agrees.
func confirm(prompt string, in io.Reader, out io.Writer) bool {
	fmt.Fprintf(out, "%s Type yes to continue: ", prompt)
	line, _ := bufio.NewReader(in).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}
