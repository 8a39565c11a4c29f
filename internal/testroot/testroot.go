// Package testroot gives tests a real bootstrapped Debian root without
// bootstrapping it again for every test: the first call builds minbase of
// the suite with the requested packages and keeps it as a tar under the
// cache directory, keyed by suite and packages; every call extracts a
// fresh copy into t.TempDir(). The root is built by chrootbuild's own
// bootstrap.
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
	"syscall"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Default is the package set the step tests share: enough for sshd -t,
// localedef, systemctl, timesyncd and ifupdown.
var Default = []string{
	"systemd-sysv", "openssh-server", "locales", "tzdata",
	"ifupdown", "isc-dhcp-client", "systemd-timesyncd", "kmod",
}

// Suites are the Debian suites the official images are built from and
// tested on, oldest first: tests of what differs between suites run on
// each.
var Suites = []string{"bookworm", "trixie"}

// CacheDir is where test roots are kept between runs.
func CacheDir() string {
	if d := os.Getenv("CHROOTBUILD_TEST_CACHE"); d != "" {
		return d
	}
	return "/var/cache/chrootbuild/test"
}

// PackageCache is the package cache shared with every other build
// (the default cache folder).
const PackageCache = cachedir.Default

var mu sync.Mutex

// Get returns a fresh copy of a bookworm minbase amd64 root holding the
// given packages (Default when none), in a temporary folder removed after
// the test. It needs root and the Debian mirror.
func Get(t testing.TB, include ...string) string {
	t.Helper()
	return GetSuite(t, "bookworm", include...)
}

// GetSuite is Get for a given Debian suite, like trixie.
func GetSuite(t testing.TB, suite string, include ...string) string {
	t.Helper()
	testenv.RequireRoot(t)
	if len(include) == 0 {
		include = Default
	}
	tarball, err := ensure(suite, include)
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

func ensure(suite string, include []string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	pk := append([]string(nil), include...)
	sort.Strings(pk)
	sum := sha256.Sum256([]byte(strings.Join(pk, ",")))
	tarball := filepath.Join(CacheDir(), "root-"+suite+"-amd64-cb-"+hex.EncodeToString(sum[:8])+".tar")
	if _, err := os.Stat(tarball); err == nil {
		return tarball, nil
	}
	if err := os.MkdirAll(CacheDir(), 0o755); err != nil {
		return "", err
	}
	// Test binaries of several packages run at once: one builds, the
	// others wait for its tarball.
	unlock, err := lockFile(tarball + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(tarball); err == nil {
		return tarball, nil
	}
	dir, err := os.MkdirTemp(CacheDir(), "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	root := filepath.Join(dir, "root")
	if err := Build(root, suite, pk); err != nil {
		return "", err
	}
	tmp := fmt.Sprintf("%s.tmp-%d", tarball, os.Getpid())
	out, err := exec.Command("tar", "-C", root, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-cf", tmp, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("archiving test root: %v: %s", err, out)
	}
	return tarball, os.Rename(tmp, tarball)
}

// Build bootstraps root (minbase amd64 of suite plus include) with
// chrootbuild's own bootstrap and the shared package cache. It runs the
// chrootbuild command, built from this module, rather than calling the
// debootstrap package: chroot's own tests use testroot, and debootstrap
// imports chroot, and a command works from test binaries that never
// called chroot.Init.
var Build = func(root, suite string, include []string) error {
	bin, err := command()
	if err != nil {
		return err
	}
	defer os.Remove(bin)
	out, err := exec.Command(bin, "bootstrap", "--distribution", "debian", "--suite", suite, "--arch", "amd64",
		"--variant", "minbase", "--include", strings.Join(include, ","), "--cache", PackageCache, root).CombinedOutput()
	if err != nil {
		return fmt.Errorf("chrootbuild bootstrap: %v: %s", err, out)
	}
	return nil
}

// command builds the chrootbuild command into the test cache.
func command() (string, error) {
	bin := filepath.Join(CacheDir(), fmt.Sprintf("chrootbuild-testroot-%d", os.Getpid()))
	out, err := exec.Command("go", "build", "-o", bin, "github.com/chrootbuild/chrootbuild/cmd/chrootbuild").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building chrootbuild for the test root: %v: %s", err, out)
	}
	return bin, nil
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}
