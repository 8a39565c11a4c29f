package provision

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// runTool runs args inside the root with its output streamed to the log.
// On failure the error (the root's *chroot.ExitError, naming the command)
// carries the tool's own error lines (apt's "E: ...", or the last lines of
// its standard error), so that e.g. a missing package is named in the
// build's error, not only in the log.
func runTool(ctx context.Context, env *Env, extraEnv []string, args ...string) error {
	return runToolIn(ctx, env, "", extraEnv, args...)
}

// runToolIn is runTool with a working directory inside the root.
func runToolIn(ctx context.Context, env *Env, dir string, extraEnv []string, args ...string) error {
	var stderr tailBuffer
	log := env.Log
	if log == nil {
		log = io.Discard
	}
	err := env.Root.Run(ctx, chroot.Cmd{
		Args:   args,
		Env:    extraEnv,
		Dir:    dir,
		Stdout: log,
		Stderr: io.MultiWriter(log, &stderr),
	})
	var ee *chroot.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) == 0 {
		ee.Stderr = []byte(stderr.summary())
	}
	return err
}

// tailBuffer keeps the last 64 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 64<<10 {
		t.b = t.b[len(t.b)-64<<10:]
	}
	return len(p), nil
}

// summary returns apt-style "E:" lines when there are any, else the last
// three non-empty lines, joined with "; ".
func (t *tailBuffer) summary() string {
	var errLines, all []string
	for _, l := range bytes.Split(t.b, []byte("\n")) {
		s := strings.TrimSpace(string(l))
		if s == "" {
			continue
		}
		all = append(all, s)
		if strings.HasPrefix(s, "E: ") {
			errLines = append(errLines, strings.TrimPrefix(s, "E: "))
		}
	}
	if len(errLines) > 0 {
		return strings.Join(errLines, "; ")
	}
	if len(all) > 3 {
		all = all[len(all)-3:]
	}
	return strings.Join(all, "; ")
}
