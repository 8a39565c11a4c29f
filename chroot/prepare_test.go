package chroot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func testPrepareRestoresSymlinkAndRemovesPolicy(t *testing.T, r *Root) {
	os.Remove(filepath.Join(r.Dir(), "etc/resolv.conf"))
	if err := os.Symlink("../run/systemd/resolve/stub-resolv.conf", filepath.Join(r.Dir(), "etc/resolv.conf")); err != nil {
		t.Fatal(err)
	}
	undo, err := r.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.ReadFile("/etc/resolv.conf")
	got, err := r.ReadFile("/etc/resolv.conf")
	if err != nil || string(got) != string(host) {
		t.Fatalf("resolv.conf during the build = %q, %v; want the host's %q", got, err, host)
	}
	// A command must see the policy and be refused a service start.
	err = r.Run(context.Background(), Cmd{Args: []string{"/usr/sbin/policy-rc.d"}})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 101 {
		t.Fatalf("policy-rc.d in the root: %v, want exit status 101", err)
	}
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	if target, err := r.Readlink("/etc/resolv.conf"); err != nil || target != "../run/systemd/resolve/stub-resolv.conf" {
		t.Fatalf("resolv.conf after undo: %q, %v; want the original symlink", target, err)
	}
	requireGone(t, r, "/usr/sbin/policy-rc.d", markerPath, "/etc/resolv.conf.chrootbuild-orig")
}

// requireGone fails for each path that still exists in the root.
func requireGone(t *testing.T, r *Root, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := r.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after undo: %v, want it gone", p, err)
		}
	}
}

// TestPrepareAfterKilledBuild prepares the root in a process killed with
// SIGKILL before its undo, prepares it again, and checks that the root's own files
// come back rather than the first build's temporary ones.
func TestPrepareAfterKilledBuild(t *testing.T) {
	r, err := Open(t.TempDir())
	must(t, err)
	must(t, r.MkdirAll("/etc", 0o755))
	must(t, r.WriteFile("/etc/resolv.conf", []byte("nameserver 192.0.2.1\n"), 0o644))
	killed := exec.Command("/proc/self/exe")
	killed.Env = append(os.Environ(), "CHROOT_TEST_HELPER_PREPARE="+r.Dir())
	if out, err := killed.CombinedOutput(); !strings.Contains(fmt.Sprint(err), "killed") {
		t.Fatalf("helper preparing the root: %v: %s", err, out)
	}
	if _, err := r.Lstat(markerPath); err != nil {
		t.Fatalf("the killed build left no marker: %v", err)
	}
	undo, err := r.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	must(t, undo())
	must(t, undo()) // twice is harmless
	got, err := r.ReadFile("/etc/resolv.conf")
	if err != nil || string(got) != "nameserver 192.0.2.1\n" {
		t.Fatalf("resolv.conf = %q, %v; want the root's own", got, err)
	}
	ents, _ := r.ReadDir("/etc")
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != 1 {
		t.Errorf("/etc holds %v after undo, want only resolv.conf", names)
	}
	requireGone(t, r, "/usr/sbin/policy-rc.d", markerPath)
}

// TestPrepareKeepsFilesTheBuildReplaced: a package that takes over
// resolv.conf during the build (systemd-resolved, resolvconf) keeps it.
func TestPrepareKeepsFilesTheBuildReplaced(t *testing.T) {
	r, err := Open(t.TempDir())
	must(t, err)
	must(t, r.MkdirAll("/etc", 0o755))
	must(t, r.WriteFile("/etc/resolv.conf", []byte("old\n"), 0o644))
	undo, err := r.Prepare()
	must(t, err)
	must(t, r.Remove("/etc/resolv.conf"))
	must(t, r.Symlink("../run/systemd/resolve/stub-resolv.conf", "/etc/resolv.conf"))
	must(t, undo())
	if target, err := r.Readlink("/etc/resolv.conf"); err != nil || target != "../run/systemd/resolve/stub-resolv.conf" {
		t.Fatalf("resolv.conf after undo: %q, %v; want the build's symlink", target, err)
	}
	requireGone(t, r, "/etc/resolv.conf.chrootbuild-orig")
}

// TestPrepareWithoutResolvConf: a root without resolv.conf has none after,
// and during the build has the host's, if the host has one.
func TestPrepareWithoutResolvConf(t *testing.T) {
	_, hostErr := os.Stat("/etc/resolv.conf")
	r, err := Open(t.TempDir())
	must(t, err)
	undo, err := r.Prepare()
	must(t, err)
	if _, err := r.Stat("/etc/resolv.conf"); (err == nil) != (hostErr == nil) {
		t.Fatalf("temporary resolv.conf: %v; the host's: %v", err, hostErr)
	}
	must(t, undo())
	requireGone(t, r, "/etc/resolv.conf")
}

// TestPrepareLocksTheRoot: while one Prepare is not undone, another fails
// and leaves the first's files alone; after the undo it works.
func TestPrepareLocksTheRoot(t *testing.T) {
	r, err := Open(t.TempDir())
	must(t, err)
	undo, err := r.Prepare()
	must(t, err)
	if _, err := r.Prepare(); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Prepare: %v, want the root in use", err)
	}
	if _, err := r.Lstat("/usr/sbin/policy-rc.d"); err != nil {
		t.Fatalf("the failed Prepare touched the first one's files: %v", err)
	}
	must(t, undo())
	undo, err = r.Prepare()
	must(t, err)
	must(t, undo())
}
