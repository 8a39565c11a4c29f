package builder_test

import (
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestNetworkFalseStepIsOffline builds testdata/network against a listener
// on the host's loopback: the ordinary step reaches it, the network =
// false step does not, and only one connection arrives.
func TestNetworkFalseStepIsOffline(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	r := mustBuild(t, "testdata/network", map[string]string{"port": port})
	tar := filepath.Join(r.out, "rootfs.tar")
	for file, want := range map[string]string{"./etc/online": "connected", "./etc/offline": "refused"} {
		out, err := exec.Command("tar", "-xOf", tar, file).CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != want {
			t.Errorf("%s in the image = %q (%v), want %q", file, got, err, want)
		}
	}
	if n := accepted.Load(); n != 1 {
		t.Errorf("the host's listener got %d connections, want 1 (the ordinary step's)", n)
	}
}
