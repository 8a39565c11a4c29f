package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/s3test"
)

// writeFile writes n random bytes to dir/name and returns the path and bytes.
func writeFile(t *testing.T, dir, name string, n int) (string, []byte) {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, b
}

func sumHex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestUploadNamesLatestAndSum(t *testing.T) {
	s := s3test.Start(t, "images")
	file, data := writeFile(t, t.TempDir(), "rootfs.tar", 300<<10)
	var logs bytes.Buffer
	objs, err := Upload(context.Background(), Options{
		URL: "s3://images/debian/", Endpoint: s.Endpoint, Name: "debian", Version: "12", Latest: true, Log: &logs,
	}, file)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || objs[0].URL != "s3://images/debian/debian-12.tar" || objs[0].Latest != "s3://images/debian/debian-latest.tar" {
		t.Fatalf("objects %+v", objs)
	}
	for _, key := range []string{"debian/debian-12.tar", "debian/debian-latest.tar"} {
		if got := s.Get(t, "images", key); !bytes.Equal(got, data) {
			t.Errorf("%s: %d bytes differ from the %d uploaded", key, len(got), len(data))
		}
		want := sumHex(data) + "  " + filepath.Base(key) + "\n"
		if got := string(s.Get(t, "images", key+".sha256")); got != want {
			t.Errorf("%s.sha256 = %q, want %q", key, got, want)
		}
	}
	if !strings.Contains(logs.String(), "s3://images/debian/debian-12.tar") {
		t.Errorf("log does not name the object: %q", logs.String())
	}
}

func TestUploadMultipart(t *testing.T) {
	s := s3test.Start(t, "images")
	const part = 5 << 20
	file, data := writeFile(t, t.TempDir(), "rootfs.sqsh", 4*part+12345)
	objs, err := Upload(context.Background(), Options{
		URL: "s3://images", Endpoint: s.Endpoint, Name: "ubuntu", Version: "24.04", PartSize: part, Concurrency: 3,
	}, file)
	if err != nil {
		t.Fatal(err)
	}
	if objs[0].URL != "s3://images/ubuntu-24.04.sqsh" || objs[0].SHA256 != sumHex(data) {
		t.Fatalf("object %+v", objs[0])
	}
	if got := s.Get(t, "images", "ubuntu-24.04.sqsh"); !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes differ from the %d uploaded", len(got), len(data))
	}
	// A multipart object's ETag ends in -N, N the number of parts.
	if info := s.S3cmd(t, "info", "s3://images/ubuntu-24.04.sqsh"); !strings.Contains(info, "-5") {
		t.Errorf("object was not stored as 5 parts:\n%s", info)
	}
}

// versitygw's posix backend keeps no object ACLs, so the test reads the
// server's request log: every request that creates one of the objects must
// carry the public-read ACL.
func TestUploadPublicACL(t *testing.T) {
	s := s3test.StartWith(t, []string{"--log-level", "debug"}, "images")
	file, _ := writeFile(t, t.TempDir(), "rootfs.tar", 1000)
	opts := Options{URL: "s3://images/", Endpoint: s.Endpoint, Name: "debian", Version: "12", Public: true, Latest: true}
	if _, err := Upload(context.Background(), opts, file); err != nil {
		t.Fatal(err)
	}
	log, err := os.ReadFile(s.Log)
	if err != nil {
		t.Fatal(err)
	}
	acls := requestACLs(string(log))
	for _, key := range []string{"debian-12.tar", "debian-12.tar.sha256", "debian-latest.tar", "debian-latest.tar.sha256"} {
		if acls["/images/"+key] != "public-read" {
			t.Errorf("request creating %s had ACL %q, want public-read", key, acls["/images/"+key])
		}
	}
}

// requestACLs maps each request path in versitygw's debug log to the
// x-amz-acl header it carried.
func requestACLs(log string) map[string]string {
	log = regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(log, "")
	acls := map[string]string{}
	for _, block := range strings.Split(log, "[URL]: ")[1:] {
		first, _, _ := strings.Cut(block, "\n")
		u, err := url.Parse(strings.TrimSpace(first))
		if err != nil {
			continue
		}
		if m := regexp.MustCompile(`(?i)X-Amz-Acl\s*:\s*(\S+)`).FindStringSubmatch(block); m != nil {
			acls[u.Path] = m[1]
		}
	}
	return acls
}

func TestUploadProfileFromSharedFiles(t *testing.T) {
	s := s3test.Start(t, "images")
	creds := filepath.Join(t.TempDir(), "credentials")
	os.WriteFile(creds, []byte("[ci]\naws_access_key_id = "+s3test.Access+"\naws_secret_access_key = "+s3test.Secret+"\n"), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	file, data := writeFile(t, t.TempDir(), "rootfs.tar", 1000)
	if _, err := Upload(context.Background(), Options{URL: "s3://images/", Endpoint: s.Endpoint, Profile: "ci"}, file); err != nil {
		t.Fatal(err)
	}
	if got := s.Get(t, "images", "rootfs.tar"); !bytes.Equal(got, data) {
		t.Fatal("downloaded bytes differ")
	}
}

// captureLog collects what the standard logger prints during the test: a
// library may log there.
func captureLog(t *testing.T) *bytes.Buffer {
	var b bytes.Buffer
	log.SetOutput(&b)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &b
}

func TestUploadWrongCredentialsHidesSecret(t *testing.T) {
	s := s3test.Start(t, "images")
	const wrong = "wrong-secret-must-stay-hidden-42"
	s3test.SetEnv(t, s3test.Access, wrong)
	std := captureLog(t)
	var logs bytes.Buffer
	file, _ := writeFile(t, t.TempDir(), "rootfs.tar", 1000)
	_, err := Upload(context.Background(), Options{URL: "s3://images/", Endpoint: s.Endpoint, Log: &logs}, file)
	if err == nil {
		t.Fatal("upload with a wrong secret succeeded")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "credentials refused") {
		t.Errorf("error does not say the credentials were refused: %v", err)
	}
	for what, text := range map[string]string{"error": err.Error(), "log": logs.String(), "standard log": std.String()} {
		if strings.Contains(text, wrong) || strings.Contains(text, s3test.Secret) {
			t.Errorf("%s holds the secret: %s", what, text)
		}
	}
}

func TestUploadMissingBucket(t *testing.T) {
	s := s3test.Start(t, "images")
	file, _ := writeFile(t, t.TempDir(), "rootfs.tar", 1000)
	_, err := Upload(context.Background(), Options{URL: "s3://nope/x/", Endpoint: s.Endpoint}, file)
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), `bucket "nope" does not exist`) {
		t.Fatalf("error = %v, want one saying bucket nope does not exist", err)
	}
}

func TestUploadUnreachableEndpoint(t *testing.T) {
	s3test.SetEnv(t, s3test.Access, s3test.Secret)
	file, _ := writeFile(t, t.TempDir(), "rootfs.tar", 1000)
	_, err := Upload(context.Background(), Options{URL: "s3://images/", Endpoint: "http://" + s3test.FreeAddr(t), Retries: 2}, file)
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), "endpoint unreachable") {
		t.Fatalf("error = %v, want one saying the endpoint is unreachable", err)
	}
}

func TestUploadInterruptedLeavesNothing(t *testing.T) {
	s := s3test.Start(t, "images")
	const part = 5 << 20
	file, _ := writeFile(t, t.TempDir(), "rootfs.tar", 8*part)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	readHook = func(total int64) {
		if total >= 3*part {
			once.Do(cancel)
		}
	}
	defer func() { readHook = nil }()
	_, err := Upload(ctx, Options{URL: "s3://images/", Endpoint: s.Endpoint, Name: "debian", Version: "12", PartSize: part, Concurrency: 2}, file)
	if err == nil {
		t.Fatal("a cancelled upload succeeded")
	}
	t.Log(err)
	if !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("error does not say the upload was cancelled: %v", err)
	}
	if ls := s.S3cmd(t, "ls", "s3://images/"); strings.Contains(ls, "debian-12.tar") {
		t.Errorf("an object is left under the final name:\n%s", ls)
	}
	if mp := s.S3cmd(t, "multipart", "s3://images/"); strings.Contains(mp, "debian-12.tar") {
		t.Errorf("a multipart upload was not aborted:\n%s", mp)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "images", "debian-12.tar")); !os.IsNotExist(err) {
		t.Errorf("the server's folder holds the final name: %v", err)
	}
}
