package chroot

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// TestRealRoot runs the tests that need a real bootstrapped root on one
// copy of the cached bookworm root (extracting a copy takes seconds).
func TestRealRoot(t *testing.T) {
	r, err := Open(testroot.Get(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Inside", func(t *testing.T) { testRunInside(t, r) })
	t.Run("Failures", func(t *testing.T) { testRunFailures(t, r) })
	t.Run("CancelKillsEverything", func(t *testing.T) { testRunCancelKillsEverything(t, r) })
	t.Run("ParentKilled", func(t *testing.T) { testRunParentKilled(t, r) })
	t.Run("Prepare", func(t *testing.T) { testPrepareRestoresSymlinkAndRemovesPolicy(t, r) })
	t.Run("Sandbox", func(t *testing.T) { testSandbox(t, r) })
	t.Run("HostTools", func(t *testing.T) { testHostTools(t, r) })
}

func testRunInside(t *testing.T, r *Root) {
	ctx := context.Background()
	cases := []struct {
		name string
		args []string
		want string // a line the output must hold
	}{
		{"environment", []string{"env"}, "DEBIAN_FRONTEND=noninteractive"},
		{"lang", []string{"env"}, "LANG=C.UTF-8"},
		{"extra env", []string{"env"}, "FOO=bar"},
		{"home", []string{"sh", "-c", "echo $HOME"}, "/root"},
		{"proc is ours", []string{"sh", "-c", "tr '\\0' '\\n' < /proc/1/cmdline"}, "chrootbuild-init"},
		{"sys read-only", []string{"sh", "-c", "touch /sys/x 2>/dev/null || echo refused; grep -c ' /sys ro,' /proc/self/mountinfo"}, "refused"},
		{"urandom", []string{"sh", "-c", "head -c8 /dev/urandom | wc -c"}, "8"},
		{"null and zero", []string{"sh", "-c", "head -c3 /dev/zero > /dev/null && echo ok"}, "ok"},
		{"devpts", []string{"sh", "-c", "exec 3<>/dev/ptmx && ls /dev/pts"}, "0"},
		{"tmp writable", []string{"sh", "-c", "echo x > /tmp/f && cat /tmp/f"}, "x"},
		{"no host leak", []string{"sh", "-c", "echo ${GOPATH:-unset}"}, "unset"},
		{"workdir", []string{"pwd"}, "/etc"},
		// Maintainer scripts ask ischroot(1) (libc6's postinst sleeps a
		// second when it says no); /proc/1/root is an empty folder.
		{"ischroot", []string{"sh", "-c", "ischroot; echo $?"}, "0"},
		{"pid 1 root empty", []string{"sh", "-c", "ls -A /proc/1/root | wc -l"}, "0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out strings.Builder
			cmd := Cmd{Args: c.args, Env: []string{"FOO=bar"}, Stdout: &out, Stderr: &out}
			if c.name == "workdir" {
				cmd.Dir = "/etc"
			}
			if err := r.Run(ctx, cmd); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			if !hasLine(out.String(), c.want) {
				t.Fatalf("output %q lacks line %q", out.String(), c.want)
			}
		})
	}
	requireNoLeak(t, r.Dir())
}

func hasLine(s, line string) bool {
	for _, l := range strings.Split(s, "\n") {
		if l == line {
			return true
		}
	}
	return false
}

func testRunFailures(t *testing.T, r *Root) {
	ctx := context.Background()
	_, err := r.Output(ctx, "sh", "-c", "echo oops >&2; exit 7")
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 7 || !strings.Contains(err.Error(), "running sh -c") || !strings.Contains(err.Error(), "oops") {
		t.Errorf("exit 7: got %v", err)
	}
	_, err = r.Output(ctx, "sh", "-c", "kill -TERM $$")
	if !errors.As(err, &ee) || ee.Signal != syscall.SIGTERM || ee.ExitCode() != 128+15 {
		t.Errorf("killed: got %v", err)
	}
	_, err = r.Output(ctx, "no-such-program")
	if err == nil || !strings.Contains(err.Error(), "no-such-program") {
		t.Errorf("missing program: got %v", err)
	}
	err = r.Run(ctx, Cmd{Args: []string{"true"}, Dir: "/nonexistent"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent") {
		t.Errorf("missing workdir: got %v", err)
	}
	requireNoLeak(t, r.Dir())
}

func testRunCancelKillsEverything(t *testing.T, r *Root) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	// The background sleep is a daemon a package might leave running.
	err := r.Run(ctx, Cmd{Args: []string{"sh", "-c", "sleep 300 & sleep 300"}})
	if err == nil || time.Since(start) > 30*time.Second {
		t.Fatalf("cancelled run: %v after %v", err, time.Since(start))
	}
	requireNoLeak(t, r.Dir())
}

// testRunParentKilled kills a process that runs a long command in the root
// with SIGKILL and checks that neither mounts nor processes survive it.
func testRunParentKilled(t *testing.T, r *Root) {
	helper := exec.Command("/proc/self/exe")
	helper.Env = append(os.Environ(), "CHROOT_TEST_HELPER_ROOT="+r.Dir())
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		helper.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	if len(mountsUnder(t, r.Dir())) != 0 {
		t.Fatal("the command's mounts are visible on the host")
	}
	if len(processesIn(r.Dir())) == 0 {
		t.Fatal("no process found in the root while the command runs")
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	requireNoLeak(t, r.Dir())
}
