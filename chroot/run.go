package chroot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// initEnv carries the initSpec to the re-executed program; its presence is
// what makes Init act.
const initEnv = "_CHROOTBUILD_INIT"

// initCalled records that Init ran in this process, so Run never
// re-executes a program that would not recognise the child's role.
var initCalled bool

// initSpec is what the namespace's first process needs to enter the root.
type initSpec struct {
	Root    string   `json:"root"`
	Args    []string `json:"args"`
	Env     []string `json:"env"`
	Dir     string   `json:"dir"`
	Setsid  bool     `json:"setsid"`
	NoSync  bool     `json:"nosync,omitempty"`
	Offline bool     `json:"offline,omitempty"`
	Tools   []string `json:"tools,omitempty"`
}

// initResult is what it reports back on the status pipe: a set-up error,
// or how the command ended.
type initResult struct {
	Err    string `json:"err,omitempty"`
	Code   int    `json:"code"`
	Signal int    `json:"signal,omitempty"`
}

var errNoInit = errors.New("chroot.Init was not called first in main or TestMain")

// Run runs cmd inside the root and waits for it. A command that exits
// non-zero is an *ExitError naming it; cancelling ctx kills it and
// everything it started.
func (r *Root) Run(ctx context.Context, cmd Cmd) error {
	if len(cmd.Args) == 0 {
		return errors.New("running a command in the root: empty argv")
	}
	if !initCalled {
		return fmt.Errorf("running %s: %w", quoteArgs(cmd.Args), errNoInit)
	}
	dir := cmd.Dir
	if dir == "" {
		dir = "/"
	}
	spec, err := json.Marshal(initSpec{
		Root: r.dir, Args: cmd.Args, Env: withHostTools(environ(cmd.Env, cmd.Terminal), cmd.HostTools),
		Dir: clean(dir), Setsid: !cmd.Terminal, NoSync: cmd.NoSync, Offline: r.offline, Tools: cmd.HostTools,
	})
	if err != nil {
		return err
	}
	res, err := runInit(ctx, string(spec), cmd, r.offline)
	if err != nil {
		return fmt.Errorf("running %s in %s: %w", quoteArgs(cmd.Args), r.dir, err)
	}
	if res.Err != "" {
		return fmt.Errorf("running %s in %s: %s", quoteArgs(cmd.Args), r.dir, res.Err)
	}
	if res.Code != 0 || res.Signal != 0 {
		return &ExitError{Args: cmd.Args, Code: res.Code, Signal: syscall.Signal(res.Signal)}
	}
	return nil
}

// runInit starts the program again as the first process of new mount,
// PID, UTS (host name), IPC and cgroup namespaces, and network namespace
// when offline, and reads its report. The parent-death signal kills it
// (and with it the whole namespace, mounts included) if we die; it is tied
// to the starting thread, hence the locked thread.
func runInit(ctx context.Context, spec string, cmd Cmd, offline bool) (initResult, error) {
	var res initResult
	rd, wr, err := os.Pipe()
	if err != nil {
		return res, err
	}
	defer rd.Close()
	c := exec.CommandContext(ctx, "/proc/self/exe")
	c.Args = []string{"chrootbuild-init"}
	c.Env = []string{initEnv + "=" + spec}
	c.Stdin, c.Stdout, c.Stderr = cmd.Stdin, cmd.Stdout, cmd.Stderr
	c.ExtraFiles = []*os.File{wr}
	flags := syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWUTS |
		syscall.CLONE_NEWIPC | syscall.CLONE_NEWCGROUP
	if offline {
		flags |= syscall.CLONE_NEWNET
	}
	c.SysProcAttr = &syscall.SysProcAttr{Cloneflags: uintptr(flags), Pdeathsig: syscall.SIGKILL}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = c.Start()
	wr.Close()
	if err != nil {
		return res, fmt.Errorf("starting namespace: %w", err)
	}
	report, _ := io.ReadAll(rd)
	werr := c.Wait()
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if len(report) == 0 {
		return res, fmt.Errorf("namespace init ended without a report: %v", werr)
	}
	if err := json.Unmarshal(report, &res); err != nil {
		return res, fmt.Errorf("reading namespace init report: %w", err)
	}
	return res, nil
}
