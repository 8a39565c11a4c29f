package chroot

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The test binary's host tool: "basename" answers with what this process
// is (its executable and arguments) when called with one argument
// "--host-tool-probe", and hands every other call to the root's basename.
func init() {
	RegisterHostTool("basename", func(args []string) int {
		if len(args) != 1 || args[0] != "--host-tool-probe" {
			return ExecRootProgram("basename", args)
		}
		exe, _ := os.Executable()
		fmt.Printf("host tool %s pid %d args %q\n", exe, os.Getpid(), args)
		return 3
	})
}

// testHostTools runs commands asking for the test's host tool: the call
// it handles runs this test binary's code (exit status 3, its executable
// in HostToolsDir), another call reaches the root's own program, a
// command that does not ask sees no tool, and nothing is left in the
// root's /run.
func testHostTools(t *testing.T, r *Root) {
	ctx := context.Background()
	var out strings.Builder
	err := r.Run(ctx, Cmd{Args: []string{"sh", "-c", "basename --host-tool-probe; echo status $?; basename /a/b.c .c; echo PATH=$PATH"}, Stdout: &out, Stderr: &out, HostTools: []string{"basename"}})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"host tool " + HostToolsDir + "/chrootbuild ", "status 3\n", "\nb\n", "PATH=" + HostToolsDir + ":" + basePath} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	err = r.Run(ctx, Cmd{Args: []string{"sh", "-c", "basename --host-tool-probe; ls " + HostToolsDir}, Stdout: &out, Stderr: &out})
	if err == nil || strings.Contains(out.String(), "host tool") {
		t.Errorf("without HostTools the tool ran, or %s is there: %v\n%s", HostToolsDir, err, out.String())
	}
	if _, err := r.Lstat(HostToolsDir); err == nil {
		t.Errorf("%s was left in the root", HostToolsDir)
	}
	err = r.Run(ctx, Cmd{Args: []string{"true"}, HostTools: []string{"no-such-tool"}})
	if err == nil || !strings.Contains(err.Error(), `host tool "no-such-tool" is not registered`) {
		t.Errorf("an unregistered tool: %v", err)
	}
}
