package chroot

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestCleanSplit(t *testing.T) {
	cases := []struct{ in, clean, dir, base string }{
		{"/etc/passwd", "/etc/passwd", "/etc", "passwd"},
		{"etc/passwd", "/etc/passwd", "/etc", "passwd"},
		{"/../../etc//x/", "/etc/x", "/etc", "x"},
		{"/a/../../b", "/b", "/", "b"},
		{"/", "/", "/", "."},
		{"", "/", "/", "."},
		{"..", "/", "/", "."},
	}
	for _, c := range cases {
		got := clean(c.in)
		dir, base := split(got)
		if got != c.clean || dir != c.dir || base != c.base {
			t.Errorf("clean(%q) = %q split %q %q; want %q %q %q", c.in, got, dir, base, c.clean, c.dir, c.base)
		}
	}
}

func TestEnviron(t *testing.T) {
	t.Setenv("TERM", "xterm")
	t.Setenv("SECRET", "host")
	env := environ([]string{"PATH=/bin", "FOO=1", "FOO=2"}, false)
	want := map[string]string{"PATH": "/bin", "LANG": "C.UTF-8", "HOME": "/root", "FOO": "2", "DEBIAN_FRONTEND": "noninteractive"}
	for k, v := range want {
		if got := lookupEnv(env, k); got != v {
			t.Errorf("%s = %q, want %q (env %v)", k, got, v, env)
		}
	}
	for _, k := range []string{"TERM", "SECRET"} {
		if got := lookupEnv(env, k); got != "" {
			t.Errorf("%s leaked from the host: %q", k, got)
		}
	}
	if strings.Count(strings.Join(env, "\n"), "PATH=") != 1 {
		t.Errorf("PATH appears more than once: %v", env)
	}
	if got := lookupEnv(environ(nil, true), "TERM"); got != "xterm" {
		t.Errorf("terminal TERM = %q, want xterm", got)
	}
}

func TestExitErrorMessage(t *testing.T) {
	cases := []struct {
		err  *ExitError
		want string
		code int
	}{
		{&ExitError{Args: []string{"apt-get", "install", "-y", "foo"}, Code: 100}, "running apt-get install -y foo: exit status 100", 100},
		{&ExitError{Args: []string{"sh", "-c", "echo a b"}, Code: 1, Stderr: []byte("oops")}, `running sh -c "echo a b": exit status 1: oops`, 1},
		{&ExitError{Args: []string{"x", ""}, Signal: syscall.SIGKILL}, `running x "": killed by signal killed`, 137},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
		if got := c.err.ExitCode(); got != c.code {
			t.Errorf("ExitCode() = %d, want %d", got, c.code)
		}
	}
}

func TestPrefixWriter(t *testing.T) {
	var b strings.Builder
	w := PrefixWriter(&b, "step 3 (packages): ")
	for _, chunk := range []string{"one\ntw", "o\n", "", "\nthree"} {
		if n, err := w.Write([]byte(chunk)); err != nil || n != len(chunk) {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	want := "step 3 (packages): one\nstep 3 (packages): two\nstep 3 (packages): \nstep 3 (packages): three"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

func TestPathErrors(t *testing.T) {
	r, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.ReadFile("/etc/missing")
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "reading /etc/missing: no such file or directory" {
		t.Errorf("ReadFile missing: %v", err)
	}
	if err := r.RemoveAll("/nothing/here"); err != nil {
		t.Errorf("RemoveAll missing: %v", err)
	}
	if err := r.RemoveAll("/"); err == nil {
		t.Error("RemoveAll(/) succeeded")
	}
	if _, err := Open("/nonexistent/root"); err == nil || !strings.Contains(err.Error(), "opening root /nonexistent/root") {
		t.Errorf("Open missing: %v", err)
	}
}

func TestWriteFileReplaces(t *testing.T) {
	r, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	must(t, r.MkdirAll("/etc", 0o755))
	must(t, r.WriteFile("/etc/shadow", []byte("a"), 0o600))
	if os.Geteuid() == 0 {
		must(t, r.Lchown("/etc/shadow", 0, 42))
	}
	must(t, r.WriteFile("/etc/shadow", []byte("b"), 0o640))
	fi, err := r.Lstat("/etc/shadow")
	must(t, err)
	got, _ := r.ReadFile("/etc/shadow")
	if string(got) != "b" || fi.Mode() != 0o640 {
		t.Errorf("replaced file: %q %v, want \"b\" -rw-r-----", got, fi.Mode())
	}
	if gid := fi.Sys().(*syscall.Stat_t).Gid; os.Geteuid() == 0 && gid != 42 {
		t.Errorf("replaced file's group = %d, want 42 kept", gid)
	}
	ents, _ := r.ReadDir("/etc")
	if len(ents) != 1 {
		t.Errorf("/etc holds %d entries, want no temporary file left", len(ents))
	}
}
