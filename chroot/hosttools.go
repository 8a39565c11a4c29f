package chroot

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// HostToolsDir is where a command run with Cmd.HostTools finds them: a
// folder in its own /run tmpfs, first in its PATH, holding a copy of this
// program and one link to it per tool. Nothing of it is in the image.
const HostToolsDir = "/run/chrootbuild-tools"

// hostTools are the registered tools by program name.
var hostTools = map[string]func(args []string) int{}

// RegisterHostTool registers fn as a host-native stand-in for the root's
// program name, for commands that ask for it in Cmd.HostTools. fn gets
// the arguments after argv[0] and returns the exit status; for a call it
// does not handle it hands over to the root's own program (ExecRootProgram).
// Register from a package's init function: the re-executed program looks
// its tools up in Init, before main runs.
func RegisterHostTool(name string, fn func(args []string) int) {
	if hostTools[name] != nil || strings.Contains(name, "/") {
		panic("chroot: host tool registered twice or with a path: " + name)
	}
	hostTools[name] = fn
}

// hostTool returns the tool this process was started as, if it is a copy
// of the program in HostToolsDir started through a tool's link.
func hostTool() (func([]string) int, bool) {
	exe, err := os.Executable()
	if err != nil || filepath.Dir(exe) != HostToolsDir || len(os.Args) == 0 {
		return nil, false
	}
	fn, ok := hostTools[filepath.Base(os.Args[0])]
	return fn, ok
}

// ExecRootProgram replaces this process by the root's own program name
// (the next one in PATH after HostToolsDir), with args: what a host tool
// does with a call it does not handle. It returns only on failure, with
// the exit status a shell gives a program it cannot run.
func ExecRootProgram(name string, args []string) int {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if dir == HostToolsDir || dir == "" || unix.Access(p, unix.X_OK) != nil {
			continue
		}
		err := syscall.Exec(p, append([]string{name}, args...), os.Environ())
		fmt.Fprintf(os.Stderr, "%s: %v\n", p, err)
		return 126
	}
	fmt.Fprintf(os.Stderr, "%s: not found in PATH after %s\n", name, HostToolsDir)
	return 127
}

// openSelf opens this program's executable, to be copied into the root
// once it is entered, when the command asks for host tools.
func openSelf(tools []string) (*os.File, error) {
	if len(tools) == 0 {
		return nil, nil
	}
	for _, t := range tools {
		if hostTools[t] == nil {
			return nil, fmt.Errorf("host tool %q is not registered", t)
		}
	}
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		return nil, fmt.Errorf("opening this program for the host tools: %w", err)
	}
	return f, nil
}

// installHostTools copies the program from self into HostToolsDir of
// the entered root (its fresh /run) and links each tool's name to it.
func installHostTools(self *os.File, tools []string) error {
	if self == nil {
		return nil
	}
	defer self.Close()
	if err := os.Mkdir(HostToolsDir, 0o755); err != nil {
		return fmt.Errorf("installing host tools: %w", err)
	}
	prog := filepath.Join(HostToolsDir, "chrootbuild")
	out, err := os.OpenFile(prog, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return fmt.Errorf("installing host tools: %w", err)
	}
	_, err = io.Copy(out, self)
	err = errors.Join(err, out.Close())
	for _, t := range tools {
		err = errors.Join(err, os.Symlink("chrootbuild", filepath.Join(HostToolsDir, t)))
	}
	if err != nil {
		return fmt.Errorf("installing host tools: %w", err)
	}
	return nil
}

// withHostTools puts HostToolsDir first in env's PATH when tools are asked
// for.
func withHostTools(env []string, tools []string) []string {
	if len(tools) == 0 {
		return env
	}
	return mergeEnv(env, []string{"PATH=" + HostToolsDir + ":" + lookupEnv(env, "PATH")})
}
