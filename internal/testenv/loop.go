package testenv

import (
	"os/exec"
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
		if out, err := exec.Command("losetup", "-d", dev).CombinedOutput(); err != nil {
			t.Errorf("losetup -d %s: %v\n%s", dev, err, out)
		}
	})
	return dev
}
