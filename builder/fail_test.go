package builder_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func TestFailingStepNamesItselfAndLeavesNothing(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	def := definition(t)
	r, err := runBuild(t, def, map[string]string{"sleep": "not-a-number"})
	if err == nil {
		t.Fatal("a step whose command fails did not fail the build")
	}
	if !strings.Contains(err.Error(), "step 3 (exec, ") || !strings.Contains(err.Error(), "image.hcl:31)") {
		t.Fatalf("the error does not name the step and its line: %v", err)
	}
	if ents, _ := os.ReadDir(r.out); len(ents) != 0 {
		t.Fatalf("a failed build left files in the output folder: %v", ents)
	}
	assertNoMounts(t, stepCache())
}

// assertNoMounts fails when this namespace or the host's has a mount
// under dir.
func assertNoMounts(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"/proc/self/mountinfo", "/proc/1/mountinfo"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), dir) {
			t.Fatalf("a mount remains under %s in %s:\n%s", dir, f, b)
		}
	}
}

// TestKilledBuildResumes kills chrootbuild with SIGKILL during step 3 and
// checks that no mount and no process remain, then that the next build
// resumes after step 2.
func TestKilledBuildResumes(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	testenv.RequireRoot(t)
	bin := testenv.Chrootbuild(t)
	def := definition(t)
	os.WriteFile(filepath.Join(def, "files/data.txt"), []byte("killed "+t.Name()+time.Now().String()), 0o644)
	// A sleep no other process on the machine runs (other test runs
	// included), so that pgrep below finds only this build's.
	sleep := fmt.Sprint(300000 + os.Getpid())
	cmd := exec.Command(bin, "build", "--out", t.TempDir(), "--step-cache", stepCache(), "--var", "sleep="+sleep, def)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	// Outside our namespace, as a user would run it.
	cmd.Env = append(os.Environ(), "CHROOTBUILD_MOUNTNS=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "==> step 3 exec") {
			break
		}
	}
	time.Sleep(2 * time.Second) // inside the step, sleep running in the root
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	time.Sleep(time.Second)
	assertNoMounts(t, stepCache())
	testenv.RequireTool(t, "pgrep")
	// The kernel reaps the killed build's PID namespace asynchronously;
	// on a loaded machine that takes more than a moment.
	var left []byte
	for i := 0; i < 20; i++ {
		if left, _ = exec.Command("pgrep", "-f", "sleep "+sleep+"|"+bin).Output(); len(left) == 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if len(left) > 0 {
		t.Fatalf("a process of the killed build remains 10s after the kill: %s", left)
	}
	out, err := exec.Command(bin, "build", "--json", "--out", t.TempDir(), "--step-cache", stepCache(), def).Output()
	if err != nil {
		t.Fatalf("the build after the kill: %v\n%s", err, out)
	}
	if got := ranJSON(t, out); strings.Join(got, ",") != "step 3 exec,step 4 file" {
		t.Fatalf("the build after the kill ran %v, want it to resume at step 3\n%s", got, out)
	}
}

// ranJSON lists the bootstrap and steps that a build's JSON events show
// running.
func ranJSON(t *testing.T, events []byte) []string {
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(string(events)), "\n") {
		var ev struct{ Event, Name string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("event %q: %v", line, err)
		}
		if ev.Event == "begin" && !strings.HasPrefix(ev.Name, "output") {
			names = append(names, ev.Name)
		}
	}
	return names
}

// TestFailingOutputStopsTheOthers makes the second of three outputs,
// packed at once, fail at once: the build fails with that output's error
// and line (not the cancelled tar's), and leaves no temporary file and no
// mount.
func TestFailingOutputStopsTheOthers(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	def := definition(t)
	hclPath := filepath.Join(def, "image.hcl")
	src, err := os.ReadFile(hclPath)
	if err != nil {
		t.Fatal(err)
	}
	small := "  output \"ext4\" {\n    path = \"small.ext4\"\n    size = \"1M\"\n  }\n  output \"manifest\" {"
	os.WriteFile(hclPath, []byte(strings.Replace(string(src), "  output \"manifest\" {", small, 1)), 0o644)
	r, err := runBuild(t, def, nil)
	if err == nil {
		t.Fatal("an ext4 output of 1M did not fail the build")
	}
	if !strings.Contains(err.Error(), "output ext4 (") || !strings.Contains(err.Error(), "image.hcl:43)") {
		t.Fatalf("the error does not name the failing output and its line: %v\n%s", err, r.log)
	}
	ents, _ := os.ReadDir(r.out)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("a failed build left the temporary file %s", e.Name())
		}
	}
	assertNoMounts(t, stepCache())
}
