package publish

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Test credentials of the versitygw root user.
const (
	testAccess = "chrootbuildtestkey"
	testSecret = "s3cr3t-never-printed-0123456789"
)

// s3server is a versitygw serving a folder on loopback.
type s3server struct {
	endpoint string
	dir      string // each sub-folder is a bucket
	s3cmdCfg string
	log      string // the server's output
}

// versitygwPath finds versitygw on PATH or in GOPATH/bin, where
// `go install` puts it.
func versitygwPath(t *testing.T) string {
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

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitListening waits until addr accepts connections.
func waitListening(t *testing.T, addr, logFile string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	log, _ := os.ReadFile(logFile)
	t.Fatalf("server on %s did not start: %s", addr, log)
}

// startS3 starts versitygw on a free loopback port with the given buckets,
// and writes an s3cmd configuration for it. The test's environment gets the
// credentials through the standard AWS variables only.
func startS3(t *testing.T, buckets ...string) *s3server {
	t.Helper()
	return startS3With(t, nil, buckets...)
}

// startS3With starts versitygw with extra global flags.
func startS3With(t *testing.T, flags []string, buckets ...string) *s3server {
	t.Helper()
	bin := versitygwPath(t)
	testenv.RequireTool(t, "s3cmd")
	s := &s3server{dir: t.TempDir()}
	for _, b := range buckets {
		if err := os.Mkdir(filepath.Join(s.dir, b), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	args := append([]string{"--port", addr, "--quiet"}, flags...)
	cmd := exec.Command(bin, append(args, "posix", s.dir)...)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+testAccess, "ROOT_SECRET_KEY="+testSecret)
	s.log = filepath.Join(t.TempDir(), "versitygw.log")
	logf, err := os.Create(s.log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitListening(t, addr, s.log)
	s.endpoint = "http://" + addr
	s.s3cmdCfg = filepath.Join(t.TempDir(), "s3cfg")
	cfg := fmt.Sprintf("[default]\naccess_key = %s\nsecret_key = %s\nhost_base = %s\nhost_bucket = %s\nuse_https = False\nbucket_location = us-east-1\n",
		testAccess, testSecret, addr, addr)
	if err := os.WriteFile(s.s3cmdCfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	setAWSEnv(t, testAccess, testSecret)
	return s
}

// setAWSEnv isolates the test from the host's AWS configuration and gives
// it credentials through the environment, as a CI job would.
func setAWSEnv(t *testing.T, access, secret string) {
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

// s3cmd runs Debian's s3cmd, the independent client, against the server.
func (s *s3server) s3cmd(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("s3cmd", append([]string{"-c", s.s3cmdCfg}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("s3cmd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// get downloads s3://bucket/key with s3cmd and returns its bytes.
func (s *s3server) get(t *testing.T, bucket, key string) []byte {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "got")
	s.s3cmd(t, "get", "--force", "s3://"+bucket+"/"+key, dst)
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
