package chroot

import (
	"context"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// sharedRoot returns a fresh copy of the test root, opened.
func sharedRoot(t *testing.T) *Root {
	t.Helper()
	r, err := Open(testroot.Get(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunOutput(t *testing.T) {
	r := sharedRoot(t)
	out, err := r.Output(context.Background(), "sh", "-c", "echo hi; env; cat /proc/self/mountinfo; head -c4 /dev/urandom | od -An -tx1; ls -la /dev /dev/pts; id")
	t.Logf("%s", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "hi\n") {
		t.Fatalf("output %q", out)
	}
}
