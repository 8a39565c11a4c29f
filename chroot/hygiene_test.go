package chroot

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestOpenRefusesHostRoot(t *testing.T) {
	for _, dir := range []string{"/", "/.", "/proc/.."} {
		if r, err := Open(dir); err == nil || !strings.Contains(err.Error(), "the host's own /") {
			t.Errorf("Open(%q) = %v, %v; want a refusal", dir, r, err)
		}
	}
}

// TestCheckClean: a root is clean until prepared, in use while prepared,
// left dirty by a build killed with SIGKILL (the error names the command
// that cleans it), and clean again after the next Prepare's recovery.
func TestCheckClean(t *testing.T) {
	r, err := Open(t.TempDir())
	must(t, err)
	must(t, r.MkdirAll("/etc", 0o755))
	must(t, r.CheckClean())
	undo, err := r.Prepare()
	must(t, err)
	if err := r.CheckClean(); err == nil || !strings.Contains(err.Error(), "is in use by a chrootbuild run") {
		t.Errorf("a prepared root: %v", err)
	}
	must(t, undo())
	must(t, r.CheckClean())
	killed := exec.Command("/proc/self/exe")
	killed.Env = append(os.Environ(), "CHROOT_TEST_HELPER_PREPARE="+r.Dir())
	if out, err := killed.CombinedOutput(); !strings.Contains(fmt.Sprint(err), "killed") {
		t.Fatalf("helper preparing the root: %v: %s", err, out)
	}
	want := "`chrootbuild run " + r.Dir() + " -- true` puts the root back"
	if err := r.CheckClean(); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a root left by a killed build: %v; want %q", err, want)
	}
	if err := CheckCleanDir(r.Dir()); err == nil {
		t.Error("CheckCleanDir found the root clean")
	}
	undo, err = r.Prepare()
	must(t, err)
	must(t, undo())
	must(t, r.CheckClean())
}

// TestMarkerNamesOnlyPrepareFiles: a marker planted in the root naming
// another file makes Prepare fail without touching that file.
func TestMarkerNamesOnlyPrepareFiles(t *testing.T) {
	r, err := Open(t.TempDir())
	must(t, err)
	must(t, r.MkdirAll("/etc", 0o755))
	must(t, r.WriteFile("/etc/passwd", []byte("root:x:0:0::/root:/bin/sh\n"), 0o644))
	must(t, r.WriteFile("/etc/passwd.chrootbuild-orig", []byte("evil\n"), 0o644))
	marker := `[{"path":"/etc/passwd","backup":"/etc/passwd.chrootbuild-orig","had":true}]`
	must(t, r.WriteFile(markerPath, []byte(marker), 0o600))
	if _, err := r.Prepare(); err == nil || !strings.Contains(err.Error(), "never puts in") {
		t.Fatalf("Prepare with a foreign marker: %v", err)
	}
	if got, _ := r.ReadFile("/etc/passwd"); string(got) != "root:x:0:0::/root:/bin/sh\n" {
		t.Errorf("/etc/passwd became %q", got)
	}
}
