package chroot

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestPrepareRestoresSymlinkAndRemovesPolicy(t *testing.T) {
	r := sharedRoot(t)
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
	for _, p := range []string{"/usr/sbin/policy-rc.d", markerPath, "/etc/resolv.conf.chrootbuild-orig"} {
		if _, err := r.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after undo: %v, want it gone", p, err)
		}
	}
}
