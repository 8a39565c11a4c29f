package builder_test

import (
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/tripwire"
)

// TestNetworkFalseStepIsOffline builds testdata/network against a listener
// on the host's loopback: the ordinary step reaches it, the network =
// false step does not, and only one connection arrives.
func TestNetworkFalseStepIsOffline(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	ln, err := tripwire.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Port())
	r := mustBuild(t, "testdata/network", map[string]string{"port": port})
	tar := filepath.Join(r.out, "rootfs.tar")
	for file, want := range map[string]string{"./etc/online": "connected", "./etc/offline": "refused"} {
		out, err := exec.Command("tar", "-xOf", tar, file).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != want {
			t.Errorf("%s in the image = %q (%v), want %q", file, got, err, want)
		}
	}
	if n := ln.Connections(2, time.Second); n != 1 {
		t.Errorf("the host's listener got %d connections, want 1 (the ordinary step's)", n)
	}
}
