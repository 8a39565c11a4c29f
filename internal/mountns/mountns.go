// Package mountns runs the current program again inside a private mount
// namespace, so that every mount it makes (overlays of the step cache, the
// chroot's /proc and /dev) vanishes with it, whatever ends it: success,
// error, Ctrl-C, SIGTERM or SIGKILL.
package mountns

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

const marker = "CHROOTBUILD_MOUNTNS"

// Inside reports whether this process runs in the private namespace that
// Enter made.
func Inside() bool { return os.Getenv(marker) == fmt.Sprint(os.Getppid()) }

// Enter re-executes the program with the same arguments in a new mount
// namespace (the child makes "/" recursively private before it starts) and
// exits with the child's status. In the child, Enter returns nil at once.
// The child dies with its parent (parent-death signal), and SIGINT and
// SIGTERM are passed on to it so that it can clean up.
func Enter() error {
	if Inside() {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("entering a mount namespace: %w", err)
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Args[0] = os.Args[0]
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", marker, os.Getpid()))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Unshareflags: syscall.CLONE_NEWNS, // Go makes / rprivate in the child
		Pdeathsig:    syscall.SIGKILL,
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("entering a mount namespace: %w", err)
	}
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		os.Exit(0)
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			os.Exit(128 + int(ws.Signal()))
		}
		os.Exit(exit.ExitCode())
	}
	return fmt.Errorf("running in a mount namespace: %w", err)
}
