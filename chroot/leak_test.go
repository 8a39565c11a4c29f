package chroot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mountsUnder lists the host's mount points at or below dir.
func mountsUnder(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 4 && (f[4] == dir || strings.HasPrefix(f[4], dir+"/")) {
			out = append(out, f[4])
		}
	}
	return out
}

// processesIn lists the host processes whose root is dir, or under it.
// A command's root is the root folder made the root of its own mount
// namespace, which readlink shows as "/": the folder is found by device
// and inode.
func processesIn(dir string) []string {
	want, err := os.Stat(dir)
	if err != nil {
		return nil
	}
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		link := filepath.Join("/proc", e.Name(), "root")
		root, err := os.Readlink(link)
		if err == nil && (root == dir || strings.HasPrefix(root, dir+"/")) {
			out = append(out, e.Name())
		} else if fi, err := os.Stat(link); err == nil && os.SameFile(fi, want) {
			out = append(out, e.Name())
		}
	}
	return out
}

// requireNoLeak fails when a mount or process remains under dir, polling a
// moment because the kernel tears a namespace down asynchronously.
func requireNoLeak(t *testing.T, dir string) {
	t.Helper()
	var mounts, procs []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mounts, procs = mountsUnder(t, dir), processesIn(dir)
		if len(mounts) == 0 && len(procs) == 0 {
			return
		}
	}
	t.Fatalf("left behind under %s: mounts %v, processes %v", dir, mounts, procs)
}
