package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func TestPackCommand(t *testing.T) {
	testenv.RequireRoot(t)
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "hello"), []byte("hi\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rootfs.tar.zst")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"pack", "--format", "tar", root, out}, &stdout, &stderr); code != exitOK {
		t.Fatalf("pack exited %d: %s", code, stderr.String())
	}
	list, err := exec.Command("tar", "--zstd", "-tvf", out).CombinedOutput()
	if err != nil {
		t.Fatalf("tar --zstd -tvf (compression from the extension): %v\n%s", err, list)
	}
	if !strings.Contains(string(list), "-rw-r----- 0/0               3") {
		t.Errorf("tar lists:\n%s", list)
	}
	check := exec.Command("sha256sum", "-c", "rootfs.tar.zst.sha256")
	check.Dir = filepath.Dir(out)
	if b, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v\n%s", err, b)
	}
	for _, args := range [][]string{
		{"pack", "--format", "zip", root, out},
		{"pack", "--format", "tar", "--compression", "lz4", root, out},
		{"pack", "--format", "tar", root},
		{"install", root, "/tmp/not-a-device"},
		{"install", root},
	} {
		if code := run(args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v exited %d, want %d", args, code, exitUsage)
		}
	}
	if code := run([]string{"pack", "--format", "cpio", root + "/missing", out + ".cpio"}, &stdout, &stderr); code != exitFail {
		t.Errorf("pack of a missing root exited %d, want %d", code, exitFail)
	}
}
