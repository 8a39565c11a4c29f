package images_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestHelpersLint runs shellcheck, as POSIX sh, over every helper and the
// rescue /init: the image's /bin/sh is dash, and bashisms would break
// there first.
func TestHelpersLint(t *testing.T) {
	sc := testenv.RequireTool(t, "shellcheck")
	files := []string{filepath.Join("rescue", "init")}
	for _, n := range []string{"oc-metadata", "oc-fetch-ssh-keys", "oc-ssh-host-keys", "oc-sync-kernel-modules", "oc-add-extra-volumes", "hostname", "oc-nbd-disconnect"} {
		files = append(files, helper(n))
	}
	out, err := exec.Command(sc, append([]string{"--shell=sh", "--severity=style"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
	for _, f := range files {
		if out, err := exec.Command("sh", "-n", f).CombinedOutput(); err != nil {
			t.Errorf("sh -n %s: %v %s", f, err, out)
		}
	}
}
