package provision

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhnaWKwJfrqGsQl1hjBbHHcn8mW8cx9z2jXMgcfSsC5 test@chrootbuild"

// TestD2Steps applies engineer D2's step kinds to one real bookworm root
// (a fresh copy of the cached one) and checks the result with the image's
// own tools. Subtests share the root, so they run in order.
func TestD2Steps(t *testing.T) {
	env := d2Env(t)
	t.Run("group", func(t *testing.T) { testGroupApply(t, env) })
	t.Run("user", func(t *testing.T) { testUserApply(t, env) })
	t.Run("ssh_server", func(t *testing.T) { testSSHServerApply(t, env) })
	t.Run("service", func(t *testing.T) { testServiceApply(t, env) })
	t.Run("service_vs_systemctl", func(t *testing.T) { testServiceVsSystemctl(t, env) })
	t.Run("console", func(t *testing.T) { testConsoleApply(t, env) })
	t.Run("ntp", func(t *testing.T) { testNTPApply(t, env) })
	t.Run("network", func(t *testing.T) { testNetworkApply(t, env) })
	t.Run("kernel_modules", func(t *testing.T) { testKernelModulesApply(t, env) })
	t.Run("cleanup", func(t *testing.T) { testCleanupApply(t, env) })
	t.Run("escapes", func(t *testing.T) { testEscapes(t, env) })
	t.Run("idempotent", func(t *testing.T) { testIdempotent(t, env) })
}

// d2Env returns an Env on a fresh copy of the shared test root.
func d2Env(t testing.TB) *Env {
	t.Helper()
	r, err := chroot.Open(testroot.Get(t))
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Root: r, Dir: t.TempDir(), Log: os.Stderr}
}

// d2Apply decodes, checks and applies one step, returning Apply's error.
func d2Apply(t *testing.T, env *Env, kind, src string) error {
	t.Helper()
	s := decodeStep(t, kind, src)
	if err := s.Check(); err != nil {
		t.Fatalf("%s: Check: %v", kind, err)
	}
	return s.Apply(context.Background(), env)
}

func d2Must(t *testing.T, env *Env, kind, src string) {
	t.Helper()
	if err := d2Apply(t, env, kind, src); err != nil {
		t.Fatalf("%s: Apply: %v", kind, err)
	}
}

// d2Run runs args in the root and returns their output, failing the test
// when the command fails.
func d2Run(t *testing.T, env *Env, args ...string) string {
	t.Helper()
	out, err := runIn(context.Background(), env.Root, args...)
	if err != nil {
		t.Fatalf("running %v in the root: %v", args, err)
	}
	return string(out)
}

// d2Stat checks mode and owner of a path of the root, seen from the host.
func d2Stat(t *testing.T, env *Env, name string, mode fs.FileMode, uid, gid int) {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(env.Root.Dir(), name))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm() != mode || int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("%s: mode %v owner %d:%d, want %v %d:%d", name, fi.Mode().Perm(), st.Uid, st.Gid, mode, uid, gid)
	}
}

// d2Read reads a file of the root from the host.
func d2Read(t *testing.T, env *Env, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(env.Root.Dir(), name))
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return string(data)
}

// d2Exists reports whether name exists in the root (not following links).
func d2Exists(env *Env, name string) bool {
	_, err := os.Lstat(filepath.Join(env.Root.Dir(), name))
	return err == nil
}

// wantErr checks that err is an error whose text holds every part.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one mentioning %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}
