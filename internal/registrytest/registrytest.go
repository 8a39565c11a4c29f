// Package registrytest starts Debian's docker-registry (distribution 2.x)
// on loopback for tests, and counts what a push sends. Outside CI a missing
// docker-registry skips the test; in CI it fails it.
package registrytest

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/chrootbuild/chrootbuild/internal/loopback"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Registry is Debian's docker-registry (distribution 2.x) on loopback.
type Registry struct {
	Addr string // 127.0.0.1:PORT
	Log  string // the server's output
}

// Start starts docker-registry with filesystem storage in a
// temporary folder; with user set it requires basic auth.
func Start(t testing.TB, user, password string) *Registry {
	t.Helper()
	bin := testenv.RequireTool(t, "docker-registry")
	dir := t.TempDir()
	r := &Registry{Addr: loopback.FreeAddr(t), Log: filepath.Join(dir, "registry.log")}
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n",
		filepath.Join(dir, "storage"), r.Addr)
	if user != "" {
		hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		htpasswd := filepath.Join(dir, "htpasswd")
		os.WriteFile(htpasswd, []byte(user+":"+string(hash)+"\n"), 0o600)
		cfg += fmt.Sprintf("auth:\n  htpasswd:\n    realm: test\n    path: %s\n", htpasswd)
	}
	cfgFile := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(r.Log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", cfgFile)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	loopback.WaitListening(t, r.Addr, r.Log)
	return r
}

// Counter is a transport that records the blob uploads it carries (the
// digest of each finished upload) and how many bytes it sent.
type Counter struct {
	mu      sync.Mutex
	Next    http.RoundTripper
	uploads []string
	sent    int64
}

// RoundTrip records req and sends it on.
func (c *Counter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if req.ContentLength > 0 {
		c.sent += req.ContentLength
	}
	if req.Method == http.MethodPut && strings.Contains(req.URL.Path, "/blobs/uploads/") {
		c.uploads = append(c.uploads, req.URL.Query().Get("digest"))
	}
	c.mu.Unlock()
	return c.Next.RoundTrip(req)
}

// Reset returns the digests of the blobs uploaded since the last Reset.
func (c *Counter) Reset() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.uploads
	c.uploads, c.sent = nil, 0
	return u
}
