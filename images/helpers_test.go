package images_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/metadata"
)

// The helpers run here on the host with dash, Debian's /bin/sh, and the
// host's curl, against a real metadata service on loopback; file paths go
// under a ROOT prefix. in_root_test.go runs them again inside a real root.

var overlay = filepath.Join("common", "overlay")

func helper(name string) string {
	for _, d := range []string{"usr/local/bin", "usr/local/sbin", "etc/dhcp/dhclient-exit-hooks.d", "lib/systemd/system-shutdown"} {
		p, _ := filepath.Abs(filepath.Join(overlay, d, name))
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	panic("no helper " + name)
}

// fixture is the metadata the helper tests serve.
func fixture() *metadata.Metadata {
	return &metadata.Metadata{
		ID: "srv-1", Name: "web one", Hostname: "web-1", Organization: "org",
		PrivateIP: "10.1.2.3",
		SSHPublicKeys: []metadata.SSHKey{
			{Key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey0 alice@laptop"},
			{Key: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABKey1 bob's key"},
		},
		Tags: []string{"web", "AUTHORIZED_KEY=ssh-ed25519_AAAAC3NzaC1lZDI1NTE5AAAAITag_carol@desk"},
		Volumes: map[string]metadata.Volume{
			"0": {Name: "root", ExportURI: "nbd://10.1.0.1:4000"},
			"1": {Name: "data", ExportURI: "nbd://10.1.0.2:4001"},
			"2": {Name: "attached", ExportURI: "nbd://10.1.0.2:4002"},
			"3": {Name: "named", ExportURI: "nbd://10.1.0.3:4003/exp3"},
		},
	}
}

// server serves m, answering 503 to the first failFirst requests; count
// tells how many requests came.
type server struct {
	URL   string
	count atomic.Int32
}

func serve(t *testing.T, m *metadata.Metadata, failFirst int32) *server {
	t.Helper()
	s := &server{}
	h := metadata.Handler(m)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.count.Add(1) <= failFirst {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/conf"
	return s
}

// shEnv is the environment the helpers run with: the overlay's programs
// first on PATH, a private metadata cache, fast retries.
func shEnv(t *testing.T, url string, extra ...string) []string {
	t.Helper()
	bin, _ := filepath.Abs(filepath.Join(overlay, "usr/local/bin"))
	sbin, _ := filepath.Abs(filepath.Join(overlay, "usr/local/sbin"))
	return append([]string{
		"PATH=" + bin + ":" + sbin + ":/usr/sbin:/usr/bin:/sbin:/bin",
		"METADATA_URL=" + url,
		"OC_METADATA_CACHE=" + t.TempDir(),
		"OC_METADATA_RETRY_DELAY=0.1",
		"LC_ALL=C",
	}, extra...)
}

// runSh runs a helper with dash and returns its standard output; stderr
// goes to the test log.
func runSh(t *testing.T, env []string, script string, args ...string) (string, error) {
	t.Helper()
	sh := testenv.RequireTool(t, "dash")
	testenv.RequireTool(t, "curl")
	cmd := exec.Command(sh, append([]string{script}, args...)...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if stderr.Len() > 0 {
		t.Logf("%s stderr:\n%s", filepath.Base(script), stderr.String())
	}
	return string(out), err
}

func mustRun(t *testing.T, env []string, script string, args ...string) string {
	t.Helper()
	out, err := runSh(t, env, script, args...)
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(script), args, err, out)
	}
	return out
}

func writeFile(t *testing.T, name, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// recorder writes a program that appends its arguments, one call a line,
// to a log, and returns both paths. It stands for nbd-client, whose real
// run needs the kernel's nbd driver; the test asserts the argv.
func recorder(t *testing.T) (prog, log string) {
	t.Helper()
	dir := t.TempDir()
	prog, log = filepath.Join(dir, "record"), filepath.Join(dir, "calls")
	writeFile(t, prog, "#!/bin/sh\necho \"$*\" >>"+log+"\n", 0o755)
	return prog, log
}

func calls(t *testing.T, log string) []string {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}
