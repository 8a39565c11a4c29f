package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/aptcacher"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestCachingProxy builds through Debian's apt-cacher-ng on loopback: two
// bootstraps at once through it as a mirror, sharing one empty package
// cache, both succeed (one waits for the other's downloads, and says so);
// a third through it as HTTP_PROXY succeeds, and apt in that root fetches
// through the proxy too.
func TestCachingProxy(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	testenv.RequireRoot(t)
	acng := aptcacher.Start(t)
	bin := testenv.Chrootbuild(t)
	shared := t.TempDir()
	var wg sync.WaitGroup
	logs := make([]string, 2)
	for i := range logs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, err := exec.Command(bin, "bootstrap", "--suite", "bookworm", "--arch", "amd64", "--cache", shared,
				"--mirror", acng.Mirror(), filepath.Join(t.TempDir(), "root")).CombinedOutput()
			logs[i] = string(out)
			if err != nil {
				logs[i] += "\nFAILED: " + err.Error()
			}
		}(i)
	}
	wg.Wait()
	for i, l := range logs {
		if strings.Contains(l, "FAILED") {
			t.Fatalf("bootstrap %d through apt-cacher-ng as a mirror:\n%s", i, l)
		}
	}
	if !strings.Contains(logs[0]+logs[1], "waiting for another build sharing the package cache") {
		t.Errorf("neither build said it waited for the other's downloads:\n%s\n%s", logs[0], logs[1])
	}
	if n := acng.Cached(t); n < 50 {
		t.Fatalf("apt-cacher-ng holds %d .deb files after two bootstraps through it", n)
	}

	root := filepath.Join(t.TempDir(), "root")
	proxy := "http://" + acng.Addr
	cmd := exec.Command(bin, "bootstrap", "--suite", "bookworm", "--arch", "amd64", "--cache", t.TempDir(), root)
	cmd.Env = append(os.Environ(), "http_proxy="+proxy, "HTTP_PROXY="+proxy)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bootstrap through HTTP_PROXY: %v\n%s", err, out)
	}
	before := acng.Cached(t)
	cmd = exec.Command(bin, "run", "--dir", "/tmp", root, "--", "sh", "-c", "apt-get update -q && apt-get download -q hello")
	cmd.Env = append(os.Environ(), "http_proxy="+proxy)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("apt in the root through the proxy: %v\n%s", err, out)
	}
	if acng.Cached(t) != before+1 {
		t.Fatalf("apt's download in the root did not go through the proxy (%d .debs cached before, %d after)", before, acng.Cached(t))
	}
}
