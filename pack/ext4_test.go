package pack

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func writeExt4(t *testing.T, root, out, name, size string) string {
	t.Helper()
	o := &Ext4{Path: name, Size: size, Label: "testroot"}
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	if err := o.Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, name)
}

// fsck fails the test unless e2fsck -fn finds the image clean.
func fsck(t *testing.T, img string) {
	t.Helper()
	if out, err := exec.Command("e2fsck", "-fn", img).CombinedOutput(); err != nil {
		t.Fatalf("e2fsck -fn %s: %v\n%s", img, err, out)
	}
}

// loopMount mounts a file-system image read-only and returns the folder.
func loopMount(t *testing.T, img, fstype string) string {
	t.Helper()
	testenv.RequireTool(t, "mount")
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", fstype, "-o", "loop,ro", img, mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount %s: %v\n%s", img, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v\n%s", err, out)
		}
	})
	return mnt
}

// withoutLostFound drops lost+found, which mke2fs adds.
func withoutLostFound(m map[string]string) map[string]string {
	delete(m, "lost+found")
	return m
}

func TestExt4(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "e2fsck")
	testenv.RequireTool(t, "debugfs")
	root := synthRoot(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	out := t.TempDir()
	img := writeExt4(t, root, out, "rootfs.ext4", "auto")
	fsck(t, img)
	info, err := exec.Command("dumpe2fs", "-h", img).CombinedOutput()
	if err != nil {
		t.Fatalf("dumpe2fs: %v\n%s", err, info)
	}
	for _, want := range []string{"Filesystem volume name:   testroot", "Block size:               4096", "Filesystem created:       Tue Nov 14 22:13:20 2023"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("dumpe2fs -h lacks %q", want)
		}
	}
	stat, err := exec.Command("debugfs", "-R", "stat /bin/ping", img).CombinedOutput()
	if err != nil {
		t.Fatalf("debugfs: %v\n%s", err, stat)
	}
	for _, want := range []string{"Links: 3", "security.capability", "ctime: 0x5e0d5da5", "atime: 0x5e0d5da5"} {
		if !strings.Contains(string(stat), want) {
			t.Errorf("debugfs stat /bin/ping lacks %q:\n%s", want, stat)
		}
	}
	got := withoutLostFound(treeInfo(t, loopMount(t, img, "ext4"), false))
	compareTrees(t, treeInfo(t, root, false), got)
}

func TestExt4Reproducible(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mke2fs")
	root := synthRoot(t)
	out := t.TempDir()
	a := writeExt4(t, root, out, "a.ext4", "auto")
	// Reading the root for the first image moved atimes; the second image
	// must not see it.
	b := writeExt4(t, root, out, "b.ext4", "auto")
	sameBytes(t, a, b)
	c := writeExt4(t, root, out, "c.ext4", "64M")
	fsck(t, c)
}

func TestExt4TooSmall(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mke2fs")
	root := synthRoot(t)
	out := t.TempDir()
	o := &Ext4{Path: "small.ext4", Size: "2M", Label: "x"}
	err := o.Write(context.Background(), &Env{RootDir: root, OutDir: out})
	if err == nil || !strings.Contains(err.Error(), "too small") {
		t.Fatalf("Write with size 2M = %v, want a too-small error", err)
	}
	if _, serr := exec.Command("ls", filepath.Join(out, "small.ext4")).CombinedOutput(); serr == nil {
		t.Errorf("a failed build left small.ext4 behind")
	}
}
