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

// TestKilledRunLeftovers kills `chrootbuild run ROOT -- sleep 100` with
// SIGKILL: the root keeps policy-rc.d, the host's resolv.conf and the
// marker; pack and release refuse it, naming the command that cleans it;
// the next run puts the root back, and pack then works. run / is refused
// before anything is written to the host's /.
func TestKilledRunLeftovers(t *testing.T) {
	testenv.RequireRoot(t)
	root := testroot.Get(t)
	bin := testenv.Chrootbuild(t)
	resolvBefore := describe(filepath.Join(root, "etc/resolv.conf"))
	killRun(t, bin, root)
	for _, p := range []string{"usr/sbin/policy-rc.d", ".chrootbuild-prepared"} {
		if _, err := os.Lstat(filepath.Join(root, p)); err != nil {
			t.Fatalf("the killed run left no %s (%v): the test kills too late", p, err)
		}
	}
	clean := "`chrootbuild run " + root + " -- true` puts the root back"
	out := filepath.Join(t.TempDir(), "rootfs.tar")
	if code, _, stderr := runBin(t, bin, "pack", "--format", "tar", root, out); code != exitFail || !strings.Contains(stderr, clean) {
		t.Errorf("pack of a root left by a killed run: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pack wrote %s: %v", out, err)
	}
	if code, _, stderr := runBin(t, bin, "release", "--insecure", root, "127.0.0.1:9/x/y:1"); code != exitFail || !strings.Contains(stderr, clean) {
		t.Errorf("release of a root left by a killed run: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runBin(t, bin, "run", root, "--", "true"); code != 0 {
		t.Fatalf("the next run: exit %d, %s", code, stderr)
	}
	for _, p := range []string{"usr/sbin/policy-rc.d", ".chrootbuild-prepared", "etc/resolv.conf.chrootbuild-orig"} {
		if _, err := os.Lstat(filepath.Join(root, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s after the next run: %v", p, err)
		}
	}
	if got := describe(filepath.Join(root, "etc/resolv.conf")); got != resolvBefore {
		t.Errorf("resolv.conf after the next run is %s, was %s", got, resolvBefore)
	}
	if code, _, stderr := runBin(t, bin, "pack", "--format", "tar", root, out); code != 0 {
		t.Errorf("pack of the restored root: exit %d, %s", code, stderr)
	}
	hostRoot(t, bin)
}

// hostRoot checks that run / is refused and writes nothing into /.
func hostRoot(t *testing.T, bin string) {
	if _, err := os.Lstat("/.chrootbuild-prepared"); err == nil {
		t.Fatal("/.chrootbuild-prepared exists before the test")
	}
	policy := describe("/usr/sbin/policy-rc.d")
	code, _, stderr := runBin(t, bin, "run", "/", "--", "true")
	if code != exitFail || !strings.Contains(stderr, "the host's own /") {
		t.Errorf("run /: exit %d, %s", code, stderr)
	}
	if _, err := os.Lstat("/.chrootbuild-prepared"); err == nil {
		os.Remove("/.chrootbuild-prepared")
		t.Error("run / wrote its marker into the host's /")
	}
	if got := describe("/usr/sbin/policy-rc.d"); got != policy {
		t.Errorf("run / changed the host's policy-rc.d: %s, was %s", got, policy)
	}
}

// killRun starts a run of sleep 100 and kills chrootbuild with SIGKILL
// once the command runs; the command dies with it.
func killRun(t *testing.T, bin, root string) {
	cmd := exec.Command(bin, "run", root, "--", "sh", "-c", "echo ready; sleep 100")
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
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		if !strings.Contains(processes(), root) {
			return
		}
	}
	t.Fatalf("the killed run's command still runs in %s", root)
}

// processes lists the root folders of all processes, one per line.
func processes() string {
	var b strings.Builder
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if r, err := os.Readlink("/proc/" + e.Name() + "/root"); err == nil {
			b.WriteString(r + "\n")
		}
	}
	return b.String()
}

// describe tells what is at p: a symlink's target or a file's content.
func describe(p string) string {
	if target, err := os.Readlink(p); err == nil {
		return "symlink to " + target
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return err.Error()
	}
	return "file " + string(b)
}

// runBin runs the built binary and returns its exit code and output.
func runBin(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.String(), stderr.String()
}
