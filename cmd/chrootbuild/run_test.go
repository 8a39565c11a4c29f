package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestRunAndShell builds the binary and drives run and shell on a real
// root: exit statuses pass through, the temporary files are gone after,
// and no mount is left.
func TestRunAndShell(t *testing.T) {
	testenv.RequireRoot(t)
	root := testroot.Get(t)
	bin := testenv.Chrootbuild(t)
	cases := []struct {
		args   []string
		stdin  string
		code   int
		stdout string
	}{
		{[]string{"run", root, "--", "sh", "-c", "test -s /etc/resolv.conf && test -x /usr/sbin/policy-rc.d && echo in; exit 3"}, "", 3, "in\n"},
		{[]string{"run", "--env", "X=1", "--dir", "/etc", root, "--", "sh", "-c", "echo $X $PWD"}, "", 0, "1 /etc\n"},
		{[]string{"run", root, "--", "false"}, "", 1, ""},
		{[]string{"run", root, "sh"}, "", exitUsage, ""},
		{[]string{"run", root + "/missing", "--", "true"}, "", exitFail, ""},
		{[]string{"shell", root}, "echo $0; exit 4\n", 4, "/bin/bash\n"},
	}
	for _, c := range cases {
		cmd := exec.Command(bin, c.args...)
		cmd.Stdin = strings.NewReader(c.stdin)
		out, err := cmd.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || (c.stdout != "" && string(out) != c.stdout) {
			t.Errorf("chrootbuild %v: exit %d, stdout %q; want %d, %q", c.args, code, out, c.code, c.stdout)
		}
	}
	terminate(t, bin, root)
	if _, err := os.Lstat(filepath.Join(root, "usr/sbin/policy-rc.d")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("policy-rc.d left in the root: %v", err)
	}
	if info, _ := os.ReadFile("/proc/self/mountinfo"); strings.Contains(string(info), root) {
		t.Errorf("a mount is left under %s", root)
	}
}

// terminate sends SIGTERM to chrootbuild run during a long command: it
// must stop the command, undo the preparation and fail.
func terminate(t *testing.T, bin, root string) {
	cmd := exec.Command(bin, "run", root, "--", "sh", "-c", "echo ready; sleep 300")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		cmd.Process.Kill()
		t.Fatalf("run said %q, %v", line, err)
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if err == nil || time.Since(start) > 20*time.Second {
		t.Errorf("run after SIGTERM: %v after %v, want a quick failure", err, time.Since(start))
	}
}
