package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// readmeSetup returns the commands of README.md's first sh block, the
// set-up commands, without their comments.
func readmeSetup(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no sh block")
	}
	var cmds []string
	for _, l := range strings.Split(strings.TrimSpace(string(m[1])), "\n") {
		cmds = append(cmds, strings.TrimSpace(strings.SplitN(l, "#", 2)[0]))
	}
	return cmds
}

// TestReadmeSetupAsRootWithoutSudo runs the README's first command from a
// root shell on this machine, which has no sudo: it goes past the root
// check, installs nothing that is there, compiles chrootbuild and runs the
// build, which stops on the missing definition it is given here.
func TestReadmeSetupAsRootWithoutSudo(t *testing.T) {
	testenv.RequireRoot(t)
	cmds := readmeSetup(t)
	if len(cmds) != 2 || cmds[0] != "./.ci/build images/debian" || cmds[1] != "./.ci/run" {
		t.Fatalf("README set-up commands: %q", cmds)
	}
	cmd := exec.Command("./.ci/build", "/nonexistent/image.hcl")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "PATH="+withoutSudo(t))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFail ||
		!strings.Contains(string(out), "/nonexistent/image.hcl") || strings.Contains(string(out), "sudo") {
		t.Errorf(".ci/build as root without sudo: %v\n%s", err, out)
	}
}

// withoutSudo returns PATH with every folder that holds sudo replaced by
// a folder of links to everything else in it.
func withoutSudo(t *testing.T) string {
	t.Helper()
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "sudo")); err != nil {
			dirs = append(dirs, d)
			continue
		}
		links := t.TempDir()
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.Name() != "sudo" {
				os.Symlink(filepath.Join(d, e.Name()), filepath.Join(links, e.Name()))
			}
		}
		dirs = append(dirs, links)
	}
	return strings.Join(dirs, ":")
}

// TestCIScriptsAsUser runs .ci/build and .ci/run as uid 65534: without
// sudo they stop and say they need root; with sudo (a stand-in recording
// its arguments) they run again through it, arguments kept.
func TestCIScriptsAsUser(t *testing.T) {
	testenv.RequireRoot(t)
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(filepath.Join(dir, ".ci"), 0o755)
	for _, n := range []string{"asroot", "build", "run"} {
		b, err := os.ReadFile(filepath.Join("../../.ci", n))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, ".ci", n), string(b))
		os.Chmod(filepath.Join(dir, ".ci", n), 0o755)
	}
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	for _, tool := range []string{"id", "dirname", "basename"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatal(err)
		}
		os.Symlink(p, filepath.Join(bin, tool))
	}
	asUser := func(script string, args ...string) (string, error) {
		cmd := exec.Command("/bin/bash", append([]string{script}, args...)...)
		cmd.Dir, cmd.Env = dir, []string{"PATH=" + bin}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, script := range []string{".ci/build", ".ci/run"} {
		out, err := asUser(script, "images/debian")
		if err == nil || !strings.Contains(out, "needs root, and sudo is not installed") {
			t.Errorf("%s as a user without sudo: %v\n%s", script, err, out)
		}
	}
	write(t, filepath.Join(bin, "sudo"), "#!/bin/bash\necho \"sudo $*\"\n")
	os.Chmod(filepath.Join(bin, "sudo"), 0o755)
	for _, script := range []string{".ci/build", ".ci/run"} {
		out, err := asUser(script, "images/debian", "--var", "suite=trixie")
		if want := "sudo -- " + script + " images/debian --var suite=trixie\n"; err != nil || out != want {
			t.Errorf("%s as a user with sudo: %v, %q, want %q", script, err, out, want)
		}
	}
}
