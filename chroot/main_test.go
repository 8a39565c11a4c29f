package chroot

import (
	"context"
	"os"
	"syscall"
	"testing"
)

func TestMain(m *testing.M) {
	Init()
	if dir := os.Getenv("CHROOT_TEST_HELPER_ROOT"); dir != "" {
		helperLongRun(dir)
		return
	}
	if dir := os.Getenv("CHROOT_TEST_HELPER_PREPARE"); dir != "" {
		helperPrepareKilled(dir)
	}
	os.Exit(m.Run())
}

// helperLongRun is the process testRunParentKilled kills with SIGKILL while
// a command with a background child runs in the root.
func helperLongRun(dir string) {
	r, err := Open(dir)
	if err != nil {
		panic(err)
	}
	r.Run(context.Background(), Cmd{Args: []string{"sh", "-c", "sleep 300 & echo ready; sleep 300"}, Stdout: os.Stdout})
	os.Exit(1)
}

// helperPrepareKilled prepares a root and dies by SIGKILL before undoing,
// as a build killed mid-step.
func helperPrepareKilled(dir string) {
	r, err := Open(dir)
	if err != nil {
		panic(err)
	}
	if _, err := r.Prepare(); err != nil {
		panic(err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
}
