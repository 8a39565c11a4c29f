package chroot

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// Init must be the first thing main does, and the first thing TestMain
// does in any test package whose tests run commands in a root:
//
//	func TestMain(m *testing.M) { chroot.Init(); os.Exit(m.Run()) }
//
// In an ordinary process it only records that it ran and returns. Started
// as a host tool (Cmd.HostTools), it runs the tool and exits. In the
// process Run re-executes as the first process of the new namespaces it
// mounts the root's /proc, /sys, /dev, /run and /tmp, makes the root its
// own root (see enter), restricts what the command may do (restrict,
// dropCapabilities), runs the command chrooted there (itself stepping aside into an empty
// folder, so the command knows it is in a chroot), reports how it ended
// and exits without returning.
func Init() {
	initCalled = true
	if tool, ok := hostTool(); ok {
		os.Exit(tool(os.Args[1:]))
	}
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
	self, err := openSelf(spec.Tools)
	if err != nil {
		return fail(err)
	}
	runtime.LockOSThread() // the capabilities dropped are this thread's
	unix.Umask(0)          // device nodes and folders get exactly the modes asked
	if err := r.enter(!spec.Setsid); err != nil {
		return fail(err)
	}
	unix.Umask(0o022)
	if err := installHostTools(self, spec.Tools); err != nil {
		return fail(err)
	}
	if err := restrict(spec); err != nil {
		return fail(err)
	}
	prog, err := lookPath(spec)
	if err != nil {
		return fail(err)
	}
	if err := setPersonality(prog); err != nil {
		return fail(err)
	}
	if err := stepAside(); err != nil {
		return fail(err)
	}
	pid, err := startCommand(prog, spec)
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

// restrict applies the rest of the sandbox once the root is entered: the
// loopback interface of an empty network namespace, the NoSync filter and
// the filter refusing host-wide calls (stacked: a call gets the strictest
// answer of the two, and they list no call in common), and the bounding
// set the command will start with.
func restrict(spec initSpec) error {
	if spec.Offline {
		if err := loopbackUp(); err != nil {
			return err
		}
	}
	if spec.NoSync {
		if err := disableSync(); err != nil {
			return err
		}
	}
	if err := refuseHostCalls(); err != nil {
		return err
	}
	return dropCapabilities()
}

// lookPath finds the program in the root's PATH (we are inside the root
// now).
func lookPath(spec initSpec) (string, error) {
	os.Setenv("PATH", lookupEnv(spec.Env, "PATH"))
	return exec.LookPath(spec.Args[0])
}

// pid1Dir is the empty folder, in the command's own /run tmpfs, that the
// namespace's first process takes as its root once the command's path is
// known.
const pid1Dir = "/run/.chrootbuild-pid1"

// stepAside moves our root from the image root into pid1Dir, keeping the
// image root as our working folder for the command to chroot into. Then
// /proc/1/root is not the command's /, so ischroot(1), systemd's
// running_in_chroot() and the maintainer scripts that ask them know they
// run in a chroot, as under debootstrap (libc6's postinst otherwise tries
// to re-execute init and sleeps a second), and /proc/1/root shows the
// command nothing of the host.
func stepAside() error {
	root, err := unix.Open("/", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("opening the root: %w", err)
	}
	defer unix.Close(root)
	if err := unix.Mkdir(pid1Dir, 0); err != nil {
		return fmt.Errorf("creating %s: %w", pid1Dir, err)
	}
	if err := unix.Chroot(pid1Dir); err != nil {
		return fmt.Errorf("entering %s: %w", pid1Dir, err)
	}
	if err := unix.Fchdir(root); err != nil {
		return fmt.Errorf("returning to the root: %w", err)
	}
	return nil
}

// startCommand starts prog with only standard input, output and error,
// chrooted into our working folder, the image root.
func startCommand(prog string, spec initSpec) (int, error) {
	pid, err := syscall.ForkExec(prog, spec.Args, &syscall.ProcAttr{
		Dir:   spec.Dir,
		Env:   spec.Env,
		Files: []uintptr{0, 1, 2},
		Sys:   &syscall.SysProcAttr{Setsid: spec.Setsid, Chroot: "."},
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
