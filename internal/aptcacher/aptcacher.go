// Package aptcacher starts Debian's apt-cacher-ng on loopback for tests: a
// caching proxy in front of deb.debian.org, reachable both as a mirror
// (http://ADDR/deb.debian.org/debian) and as an HTTP proxy.
package aptcacher

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Server is a running apt-cacher-ng.
type Server struct {
	Addr     string // 127.0.0.1:PORT
	CacheDir string // what it has cached, by host and path
}

// Mirror is the Debian archive through the cache.
func (s *Server) Mirror() string { return "http://" + s.Addr + "/deb.debian.org/debian" }

// Start runs apt-cacher-ng in the foreground with a configuration of its
// own: no remapping of deb.debian.org to other backends (those are not
// reachable from CI), and a port below 32768 (3.7.4 fails to bind above).
func Start(t testing.TB) *Server {
	t.Helper()
	testenv.RequireRoot(t)
	bin := "/usr/sbin/apt-cacher-ng"
	_, err := os.Stat(bin)
	testenv.Need(t, err == nil, "apt-cacher-ng (Debian package apt-cacher-ng)")
	dir := t.TempDir()
	s := &Server{Addr: freeLowAddr(t), CacheDir: filepath.Join(dir, "cache")}
	_, port, _ := net.SplitHostPort(s.Addr)
	conf := fmt.Sprintf("CacheDir: %s\nLogDir: %s\nSupportDir: /usr/lib/apt-cacher-ng\nPort: %s\nBindAddress: 127.0.0.1\nPidFile: %s\nSocketPath: %s\nForeGround: 1\n",
		s.CacheDir, dir, port, filepath.Join(dir, "pid"), filepath.Join(dir, "socket"))
	if err := os.WriteFile(filepath.Join(dir, "acng.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(s.CacheDir, 0o755)
	cmd := exec.Command(bin, "-c", dir)
	logf, _ := os.Create(filepath.Join(dir, "stdout"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting apt-cacher-ng: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); logf.Close() })
	for i := 0; i < 50; i++ {
		if c, err := net.Dial("tcp", s.Addr); err == nil {
			c.Close()
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(filepath.Join(dir, "stdout"))
	t.Fatalf("apt-cacher-ng does not listen on %s: %s", s.Addr, out)
	return nil
}

// Cached counts the .deb files the cache holds.
func (s *Server) Cached(t testing.TB) int {
	t.Helper()
	n := 0
	filepath.WalkDir(s.CacheDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && filepath.Ext(p) == ".deb" {
			n++
		}
		return nil
	})
	return n
}

func freeLowAddr(t testing.TB) string {
	for i := 0; i < 100; i++ {
		addr := fmt.Sprintf("127.0.0.1:%d", 20000+rand.IntN(12000))
		if l, err := net.Listen("tcp", addr); err == nil {
			l.Close()
			return addr
		}
	}
	t.Fatal("no free loopback port below 32768")
	return ""
}
