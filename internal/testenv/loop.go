package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Losetup attaches file to a free loop device until the test ends and
// returns the device's path.
func Losetup(t testing.TB, file string) string {
	t.Helper()
	RequireTool(t, "losetup")
	var stderr strings.Builder
	cmd := exec.Command("losetup", "-f", "--show", file)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("losetup %s: %v\n%s", file, err, stderr.String())
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() {
		if !attached(dev, file) {
			return // the test detached it itself
		}
		if out, err := exec.Command("losetup", "-d", dev).CombinedOutput(); err != nil {
			t.Errorf("losetup -d %s: %v\n%s", dev, err, out)
		}
	})
	return dev
}

// attached reports whether loop device dev is still attached to file.
func attached(dev, file string) bool {
	back, err := os.ReadFile(filepath.Join("/sys/block", filepath.Base(dev), "loop/backing_file"))
	if err != nil {
		return false
	}
	abs, _ := filepath.Abs(file)
	return strings.TrimSuffix(strings.TrimSpace(string(back)), " (deleted)") == abs
}
