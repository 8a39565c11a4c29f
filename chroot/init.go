package chroot

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// Init must be the first thing main does, and the first thing TestMain
// does in any test package whose tests run commands in a root:
//
//	func TestMain(m *testing.M) { chroot.Init(); os.Exit(m.Run()) }
//
// In an ordinary process it only records that it ran and returns. In the
// process Run re-executes as the first process of the new namespaces it
// mounts the root's /proc, /sys, /dev, /run and /tmp, enters the root,
// runs the command, reports how it ended and exits without returning.
func Init() {
	initCalled = true
	spec, ok := os.LookupEnv(initEnv)
	if !ok {
		return
	}
	os.Exit(initMain(spec))
}

// initMain is the namespace's first process. When it exits the kernel
// kills every process left in the PID namespace and the mount namespace
// goes with them, so daemons a package started and the mounts vanish.
func initMain(specJSON string) int {
	unix.CloseOnExec(3)
	status := os.NewFile(3, "status")
	report := func(res initResult) int {
		json.NewEncoder(status).Encode(res)
		status.Close()
		return 0
	}
	fail := func(err error) int { return report(initResult{Err: err.Error()}) }
	os.Unsetenv(initEnv)
	var spec initSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil || len(spec.Args) == 0 {
		return fail(fmt.Errorf("decoding the namespace init spec: %v", err))
	}
	r := &Root{dir: spec.Root}
	unix.Umask(0) // device nodes and folders get exactly the modes asked
	if err := r.enter(!spec.Setsid); err != nil {
		return fail(err)
	}
	unix.Umask(0o022)
	if spec.NoSync {
		if err := disableSync(); err != nil {
			return fail(err)
		}
	}
	pid, err := startCommand(spec)
	if err != nil {
		return fail(err)
	}
	forwardSignals(pid)
	ws, err := reap(pid)
	if err != nil {
		return fail(fmt.Errorf("waiting for the command: %w", err))
	}
	if ws.Signaled() {
		return report(initResult{Code: -1, Signal: int(ws.Signal())})
	}
	return report(initResult{Code: ws.ExitStatus()})
}

// startCommand looks the program up in the root's PATH (we are inside the
// root now) and starts it with only standard input, output and error.
func startCommand(spec initSpec) (int, error) {
	os.Setenv("PATH", lookupEnv(spec.Env, "PATH"))
	prog, err := exec.LookPath(spec.Args[0])
	if err != nil {
		return 0, err
	}
	pid, err := syscall.ForkExec(prog, spec.Args, &syscall.ProcAttr{
		Dir:   spec.Dir,
		Env:   spec.Env,
		Files: []uintptr{0, 1, 2},
		Sys:   &syscall.SysProcAttr{Setsid: spec.Setsid},
	})
	if err != nil {
		return 0, fmt.Errorf("starting %s in %s: %w", prog, spec.Dir, err)
	}
	return pid, nil
}

// forwardSignals passes termination signals sent to us on to the command:
// as PID 1 we would otherwise just absorb them.
func forwardSignals(pid int) {
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, unix.SIGINT, unix.SIGTERM, unix.SIGHUP, unix.SIGQUIT, unix.SIGUSR1, unix.SIGUSR2)
	go func() {
		for s := range ch {
			unix.Kill(pid, s.(syscall.Signal))
		}
	}()
}

// reap waits for the command, reaping any orphan that PID 1 inherits on
// the way.
func reap(pid int) (unix.WaitStatus, error) {
	for {
		var ws unix.WaitStatus
		got, err := unix.Wait4(-1, &ws, 0, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil || got == pid {
			return ws, err
		}
	}
}
