package pack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// hostTool finds a program chrootbuild runs from the host, naming the
// Debian package that provides it when it is missing.
func hostTool(name, pkg string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not installed: install the Debian package %s (apt-get install %s)", name, pkg, pkg)
	}
	return p, nil
}

// runTool runs a host program, returning its last lines of output in the
// error when it fails.
func runTool(ctx context.Context, env []string, stdin io.Reader, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Stdin = stdin
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("running %s: %w: %s", name, err, lastLines(out.String(), 8))
	}
	return nil
}

// toolEnv is the environment for host tools: ours without
// SOURCE_DATE_EPOCH (tools given explicit times must not apply their own
// interpretation of it) plus extra.
func toolEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SOURCE_DATE_EPOCH=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
