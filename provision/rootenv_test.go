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

// testLog sends a step's output to the test log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Helper()
	l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// testEnv returns an Env on a fresh copy of the shared bookworm test root,
// with an empty definition folder. It needs root (and, the first time, the
// mirror).
func testEnv(t testing.TB) *Env {
	t.Helper()
	return suiteEnv(t, "bookworm")
}

// suiteEnv is testEnv on a root of the given Debian suite.
func suiteEnv(t testing.TB, suite string) *Env {
	t.Helper()
	dir := testroot.GetSuite(t, suite)
	r, err := chroot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Root: r, Dir: t.TempDir(), Log: testLog{t}}
}

// forEachSuite runs fn as a subtest named after each suite the official
// images are built from (testroot.Suites), on a fresh root of that suite:
// for the kinds whose files depend on the suite.
func forEachSuite(t *testing.T, fn func(t *testing.T, env *Env)) {
	t.Helper()
	for _, suite := range testroot.Suites {
		t.Run(suite, func(t *testing.T) { fn(t, suiteEnv(t, suite)) })
	}
}

// applyStep decodes, checks and applies one step, returning Apply's error.
func applyStep(t *testing.T, env *Env, kind, src string) error {
	t.Helper()
	s := decodeStep(t, kind, src)
	if err := s.Check(); err != nil {
		t.Fatalf("%s: Check: %v", kind, err)
	}
	return s.Apply(context.Background(), env)
}

// mustApply is applyStep failing the test on an error.
func mustApply(t *testing.T, env *Env, kind, src string) {
	t.Helper()
	if err := applyStep(t, env, kind, src); err != nil {
		t.Fatalf("%s: Apply: %v", kind, err)
	}
}

// rootOutput runs args in the root and returns their standard output.
func rootOutput(t *testing.T, env *Env, args ...string) string {
	t.Helper()
	out, err := env.Root.Output(context.Background(), args...)
	if err != nil {
		t.Fatalf("running %v: %v", args, err)
	}
	return string(out)
}

// wantFile checks content, mode and owner of a file of the root, read
// from the host side with plain os calls (the test trusts its own root).
func wantFile(t *testing.T, env *Env, name, content string, mode fs.FileMode, uid, gid int) {
	t.Helper()
	host := filepath.Join(env.Root.Dir(), name)
	data, err := os.ReadFile(host)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if content != "\x00" && string(data) != content {
		t.Errorf("%s holds %q, want %q", name, data, content)
	}
	wantMode(t, env, name, mode, uid, gid)
}

func wantMode(t *testing.T, env *Env, name string, mode fs.FileMode, uid, gid int) {
	t.Helper()
	fi, err := os.Lstat(filepath.Join(env.Root.Dir(), name))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if got := fi.Mode() & (fs.ModeDir | permBits); got != mode {
		t.Errorf("%s has mode %v, want %v", name, got, mode)
	}
	st := fileOwner(fi)
	if st[0] != uid || st[1] != gid {
		t.Errorf("%s is owned by %d:%d, want %d:%d", name, st[0], st[1], uid, gid)
	}
}

// runInRoot runs args in the root and returns their output, failing the test
// when the command fails.
func runInRoot(t *testing.T, env *Env, args ...string) string {
	t.Helper()
	out, err := runIn(context.Background(), env.Root, args...)
	if err != nil {
		t.Fatalf("running %v in the root: %v", args, err)
	}
	return string(out)
}

// wantPerm checks mode and owner of a path of the root, seen from the host.
func wantPerm(t *testing.T, env *Env, name string, mode fs.FileMode, uid, gid int) {
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

// readInRoot reads a file of the root from the host.
func readInRoot(t *testing.T, env *Env, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(env.Root.Dir(), name))
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return string(data)
}

// existsInRoot reports whether name exists in the root (not following links).
func existsInRoot(env *Env, name string) bool {
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
