// Package s3test starts a real S3-compatible server (versitygw) on loopback
// for tests, and drives Debian's s3cmd against it as an independent client.
// Outside CI a missing versitygw or s3cmd skips the test; in CI it fails it.
package s3test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/loopback"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Access and Secret are the credentials of the server's root user.
const (
	Access = "chrootbuildtestkey"
	Secret = "s3cr3t-never-printed-0123456789"
)

// Server is a versitygw serving a folder on loopback.
type Server struct {
	Endpoint    string // http://127.0.0.1:PORT
	Dir         string // each sub-folder is a bucket
	S3cmdConfig string // an s3cmd configuration file for the server
	Log         string // the server's output
}

// versitygwPath finds versitygw on PATH or in GOPATH/bin, where
// `go install` puts it.
func versitygwPath(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	testenv.Need(t, false, "versitygw (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)")
	return ""
}

// FreeAddr returns a loopback address nobody listens on right now.
func FreeAddr(t testing.TB) string { return loopback.FreeAddr(t) }

// Start starts versitygw on a free loopback port with the given buckets,
// and writes an s3cmd configuration for it. The test's environment gets the
// credentials through the standard AWS variables only.
func Start(t testing.TB, buckets ...string) *Server {
	t.Helper()
	return StartWith(t, nil, buckets...)
}

// StartWith starts versitygw with extra global flags.
func StartWith(t testing.TB, flags []string, buckets ...string) *Server {
	t.Helper()
	bin := versitygwPath(t)
	testenv.RequireTool(t, "s3cmd")
	s := &Server{Dir: t.TempDir()}
	for _, b := range buckets {
		if err := os.Mkdir(filepath.Join(s.Dir, b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	addr := FreeAddr(t)
	args := append([]string{"--port", addr, "--quiet"}, flags...)
	cmd := exec.Command(bin, append(args, "posix", s.Dir)...)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+Access, "ROOT_SECRET_KEY="+Secret)
	s.Log = filepath.Join(t.TempDir(), "versitygw.log")
	logf, err := os.Create(s.Log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	loopback.WaitListening(t, addr, s.Log)
	s.Endpoint = "http://" + addr
	s.S3cmdConfig = filepath.Join(t.TempDir(), "s3cfg")
	cfg := fmt.Sprintf("[default]\naccess_key = %s\nsecret_key = %s\nhost_base = %s\nhost_bucket = %s\nuse_https = False\nbucket_location = us-east-1\n",
		Access, Secret, addr, addr)
	if err := os.WriteFile(s.S3cmdConfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	SetEnv(t, Access, Secret)
	return s
}

// SetEnv isolates the test from the host's AWS configuration and gives
// it credentials through the environment, as a CI job would.
func SetEnv(t testing.TB, access, secret string) {
	t.Helper()
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
}

// S3cmd runs Debian's s3cmd, the independent client, against the server.
func (s *Server) S3cmd(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command("s3cmd", append([]string{"-c", s.S3cmdConfig}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("s3cmd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Get downloads s3://bucket/key with s3cmd and returns its bytes.
func (s *Server) Get(t testing.TB, bucket, key string) []byte {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "got")
	s.S3cmd(t, "get", "--force", "s3://"+bucket+"/"+key, dst)
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
