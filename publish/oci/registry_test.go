package oci

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// registry is Debian's docker-registry (distribution 2.x) on loopback.
type registry struct {
	addr string // 127.0.0.1:PORT
	log  string
}

// startRegistry starts docker-registry with filesystem storage in a
// temporary folder; with user set it requires basic auth.
func startRegistry(t *testing.T, user, password string) *registry {
	t.Helper()
	bin := testenv.RequireTool(t, "docker-registry")
	dir := t.TempDir()
	r := &registry{addr: freeAddr(t), log: filepath.Join(dir, "registry.log")}
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n",
		filepath.Join(dir, "storage"), r.addr)
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
	logf, err := os.Create(r.log)
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
	waitListening(t, r.addr, r.log)
	return r
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitListening(t *testing.T, addr, logFile string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(logFile)
	t.Fatalf("server on %s did not start: %s", addr, log)
}

// counter is a transport that records the blob uploads it carries (the
// digest of each finished upload) and how many bytes it sent.
type counter struct {
	mu      sync.Mutex
	next    http.RoundTripper
	uploads []string
	sent    int64
}

func (c *counter) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if req.ContentLength > 0 {
		c.sent += req.ContentLength
	}
	if req.Method == http.MethodPut && strings.Contains(req.URL.Path, "/blobs/uploads/") {
		c.uploads = append(c.uploads, req.URL.Query().Get("digest"))
	}
	c.mu.Unlock()
	return c.next.RoundTrip(req)
}

func (c *counter) reset() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.uploads
	c.uploads, c.sent = nil, 0
	return u
}
