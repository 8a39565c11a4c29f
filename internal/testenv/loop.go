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
	out, err := exec.Command("losetup", "-f", "--show", file).CombinedOutput()
	if err != nil {
		t.Fatalf("losetup: %v\n%s", err, out)
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() { exec.Command("losetup", "-d", dev).Run() })
	return dev
}
