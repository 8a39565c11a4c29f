// Package chroot enters an image root through Linux syscalls: commands run
// in a child with its own mount, PID, UTS, IPC and cgroup namespaces (and
// network, for an Offline root), with /proc, /sys, /dev, /run and /tmp
// mounted only for that child, so no mount and no process outlives the
// build whatever ends it. The child is a sandbox like systemd-nspawn's:
// the root is its "/" (pivot_root), device nodes are inert, the
// host-global parts of /proc and /sys are read-only, the capability
// bounding set is cut to what package installation needs (sandboxCaps)
// and a seccomp filter refuses the calls that act on the whole host. Host-side file operations
// resolve every path inside the root (openat2 with RESOLVE_IN_ROOT), so a
// symlink planted in the root never leads outside.
//
// Running commands re-executes the program itself (/proc/self/exe) as the
// namespace's first process, so every program using Run must call Init
// first thing in main, and every test package whose tests run commands in
// a root must do it in TestMain:
//
//	func TestMain(m *testing.M) { chroot.Init(); os.Exit(m.Run()) }
//
// Every command gets fresh tmpfs on /tmp and /run: a file written there
// from the host side (WriteFile) is hidden from commands, and what a
// command leaves there is gone when it ends. Hand files to a command
// through another folder, such as /var/tmp or /root.
package chroot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Root is an image root folder on the host.
type Root struct {
	dir     string
	offline bool
}

// Cmd is a command to run inside the root: an argv list, never a shell
// string.
type Cmd struct {
	Args   []string  // Args[0] is looked up in the root's PATH
	Env    []string  // extra KEY=VALUE pairs over the controlled environment
	Dir    string    // working directory inside the root, default "/"
	Stdin  io.Reader // nil means /dev/null
	Stdout io.Writer // nil means discard
	Stderr io.Writer // nil means discard

	// Terminal keeps the command in the caller's session so it can use the
	// caller's terminal (shell, interactive run) and passes TERM through.
	// Otherwise the command gets a session of its own with no controlling
	// terminal, so nothing in a build can prompt on /dev/tty.
	Terminal bool

	// NoSync turns fsync, fdatasync, sync, syncfs, sync_file_range and
	// msync into no-ops for the command and all it starts (a seccomp
	// filter, like eatmydata but for static binaries and emulated ones
	// too). For installers such as dpkg whose caller makes the result
	// durable once at the end; everything else leaves it false.
	NoSync bool

	// HostTools names registered host tools (RegisterHostTool) that stand
	// in for the root's programs of those names, found first in the
	// command's PATH (HostToolsDir): native code where the root's own
	// would run under an emulator.
	HostTools []string
}

// Open returns the root at dir, which must be an existing folder other
// than the host's own /.
func Open(dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("opening root %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("opening root %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("opening root %s: %w", dir, fs.ErrInvalid)
	}
	host, err := isHostRoot(abs)
	if err == nil && host {
		err = errHostRoot
	}
	if err != nil {
		return nil, fmt.Errorf("opening root %s: %w", dir, err)
	}
	return &Root{dir: abs}, nil
}

// Offline returns the same root, whose commands run in an empty network
// namespace (only a loopback interface, up) instead of sharing the host's
// network.
func (r *Root) Offline() *Root {
	c := *r
	c.offline = true
	return &c
}

// Dir returns the root's folder on the host.
func (r *Root) Dir() string { return r.dir }

// Output runs args inside the root and returns its standard output. On
// failure the error carries the end of the command's standard error.
func (r *Root) Output(ctx context.Context, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	err := r.Run(ctx, Cmd{Args: args, Stdout: &stdout, Stderr: &stderr})
	var ee *ExitError
	if errors.As(err, &ee) {
		ee.Stderr = tail(stderr.Bytes(), 1024)
	}
	return stdout.Bytes(), err
}

// tail returns at most the last n bytes of b, trimmed.
func tail(b []byte, n int) []byte {
	b = bytes.TrimSpace(b)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return b
}
