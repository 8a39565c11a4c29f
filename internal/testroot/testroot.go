// Package testroot gives tests a real bootstrapped Debian root without
// bootstrapping it again for every test: the first call builds bookworm
// minbase with the requested packages and keeps it as a tar under the
// cache directory; every call extracts a fresh copy into t.TempDir().
package testroot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Default is the package set the step tests share: enough for sshd -t,
// localedef, systemctl, timesyncd and ifupdown.
var Default = []string{
	"systemd-sysv", "openssh-server", "locales", "tzdata",
	"ifupdown", "isc-dhcp-client", "systemd-timesyncd", "kmod",
}

// CacheDir is where test roots are kept between runs.
func CacheDir() string {
	if d := os.Getenv("CHROOTBUILD_TEST_CACHE"); d != "" {
		return d
	}
	return "/var/cache/chrootbuild/test"
}

var mu sync.Mutex

// Get returns a fresh copy of a bookworm minbase amd64 root holding the
// given packages (Default when none), in a temporary folder removed after
// the test. It needs root and the Debian mirror.
func Get(t testing.TB, include ...string) string {
	t.Helper()
	testenv.RequireRoot(t)
	if len(include) == 0 {
		include = Default
	}
	tarball, err := ensure(include)
	if err != nil {
		t.Fatalf("building test root: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "root")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("tar", "-C", dir, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", tarball).CombinedOutput()
	if err != nil {
		t.Fatalf("extracting test root: %v: %s", err, out)
	}
	return dir
}

func ensure(include []string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	pk := append([]string(nil), include...)
	sort.Strings(pk)
	sum := sha256.Sum256([]byte(strings.Join(pk, ",")))
	tarball := filepath.Join(CacheDir(), "root-bookworm-amd64-"+hex.EncodeToString(sum[:8])+".tar")
	if _, err := os.Stat(tarball); err == nil {
		return tarball, nil
	}
	if err := os.MkdirAll(CacheDir(), 0o755); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(CacheDir(), "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "root")
	if err := Build(root, pk); err != nil {
		return "", err
	}
	tmp := tarball + ".tmp"
	out, err := exec.Command("tar", "-C", root, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-cf", tmp, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("archiving test root: %v: %s", err, out)
	}
	return tarball, os.Rename(tmp, tarball)
}

// Build bootstraps root with the given packages. TEMPORARY: it uses
// mmdebstrap until the debootstrap package works; the debootstrap
// implementer switches it to debootstrap.Bootstrap with a shared package
// cache.
var Build = func(root string, include []string) error {
	args := []string{"--variant=minbase", "--include=" + strings.Join(include, ","), "bookworm", root, "http://deb.debian.org/debian"}
	out, err := exec.Command("mmdebstrap", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("mmdebstrap: %v: %s", err, out)
	}
	return nil
}
