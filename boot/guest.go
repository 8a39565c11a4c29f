package boot

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Guest runs commands as root on the booted VM, over the same SSH as the
// checks: what Options.Guest gets once the first boot passed.
type Guest struct {
	ssh *sshClient
	// Mirror is the image's mirror as the guest reaches it, through the
	// host's read-only proxy (see mirrorAddr).
	Mirror string
}

// Run runs argv on the guest with stdin (nil: none) and stdout (nil:
// discarded); an error carries the end of its standard error.
func (g *Guest) Run(ctx context.Context, stdin io.Reader, stdout io.Writer, argv ...string) error {
	args := g.ssh.baseArgs("-i", g.ssh.key, "-o", "IdentitiesOnly=yes", "root@127.0.0.1", "--")
	cmd := exec.CommandContext(ctx, "ssh", append(args, shellQuote(argv))...)
	cmd.Stdin, cmd.Stdout = stdin, stdout
	var stderr tailBuffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("running %s on the guest: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(stderr)))
	}
	return nil
}

// shellQuote joins argv into the one command line that ssh hands the
// guest's shell, each argument single-quoted, so that the guest runs
// exactly argv.
func shellQuote(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// tailBuffer keeps the last 4 KiB written to it.
type tailBuffer []byte

func (b *tailBuffer) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	if len(*b) > 4096 {
		*b = (*b)[len(*b)-4096:]
	}
	return len(p), nil
}

// guestCommands runs Options.Guest after a passed first boot and records
// its outcome as a check.
func (s *session) guestCommands(ctx context.Context) {
	err := s.opt.Guest(ctx, &Guest{ssh: s.ssh, Mirror: guestMirrorURL})
	s.report.add("the guest's commands (Options.Guest) succeed", err == nil, evidence(err, "ok"))
}
