package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/chrootbuild/chrootbuild/chroot"
)

func init() {
	register(&command{
		name:    "run",
		usage:   "run [--env K=V]... [--dir D] ROOT -- CMD [ARGS]",
		summary: "Run a command inside an image root (its own mount and PID namespaces; exits with the command's status).",
		run:     runRun,
		args:    argDir,
	})
}

// envFlags collects repeated --env K=V.
type envFlags []string

func (e *envFlags) String() string { return fmt.Sprint(*e) }
func (e *envFlags) Set(v string) error {
	if k, _, ok := cutEnv(v); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*e = append(*e, v)
	return nil
}

func cutEnv(v string) (string, string, bool) {
	for i := 0; i < len(v); i++ {
		if v[i] == '=' {
			return v[:i], v[i+1:], true
		}
	}
	return "", "", false
}

func runRun(args []string, stdout, stderr io.Writer) int {
	c := commands["run"]
	fs := newFlags(c, stderr)
	var env envFlags
	fs.Var(&env, "env", "set `K=V` in the command's environment (repeatable)")
	dir := fs.String("dir", "/", "working `folder` inside the root")
	root, argv, code := splitRunArgs(fs, args)
	if code >= 0 {
		return code
	}
	return enterRoot("run", root, chroot.Cmd{Args: argv, Env: env, Dir: *dir}, stdout, stderr)
}

// splitRunArgs parses flags and ROOT before "--" and keeps everything after
// it, flags included, as the command.
func splitRunArgs(fs *flag.FlagSet, args []string) (string, []string, int) {
	sep := -1
	for i, a := range args {
		if a == "--" {
			sep = i
			break
		}
	}
	if sep < 0 {
		fmt.Fprintln(fs.Output(), "chrootbuild run: missing \"--\" before the command")
		fs.Usage()
		return "", nil, exitUsage
	}
	pos, code := parseArgs(fs, args[:sep])
	if code >= 0 {
		return "", nil, code
	}
	if len(pos) != 1 || sep == len(args)-1 {
		fs.Usage()
		return "", nil, exitUsage
	}
	return pos[0], args[sep+1:], -1
}

// enterRoot prepares the root (temporary resolv.conf and policy-rc.d),
// runs cmd on the caller's standard streams, undoes the preparation and
// returns the command's exit status. On a terminal, Ctrl-C belongs to the
// command; SIGTERM and SIGHUP stop it and everything it started.
func enterRoot(name, dir string, cmd chroot.Cmd, stdout, stderr io.Writer) int {
	r, err := chroot.Open(dir)
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild %s: %v\n", name, err)
		return exitFail
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.Terminal = term.IsTerminal(int(os.Stdin.Fd()))
	stop := []os.Signal{syscall.SIGTERM, syscall.SIGHUP}
	if cmd.Terminal {
		signal.Notify(make(chan os.Signal, 1), os.Interrupt, syscall.SIGQUIT)
	} else {
		stop = append(stop, os.Interrupt)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), stop...)
	defer cancel()
	undo, err := r.Prepare()
	if err != nil {
		fmt.Fprintf(stderr, "chrootbuild %s: %v\n", name, err)
		return exitFail
	}
	err = r.Run(ctx, cmd)
	if uerr := undo(); uerr != nil {
		fmt.Fprintf(stderr, "chrootbuild %s: %v\n", name, uerr)
		if err == nil {
			return exitFail
		}
	}
	var ee *chroot.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode()
	case err != nil:
		fmt.Fprintf(stderr, "chrootbuild %s: %v\n", name, err)
		return exitFail
	}
	return exitOK
}
