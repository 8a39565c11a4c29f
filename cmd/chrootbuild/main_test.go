package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// runCLI runs the program in-process.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

const (
	validDef   = "../../hcl/testdata/valid/full.hcl"
	invalidDef = "../../hcl/testdata/invalid/check_errors.hcl"
)

func TestCommandsRegistered(t *testing.T) {
	for _, name := range []string{"validate", "plan", "build", "bootstrap", "run", "shell", "pack",
		"install", "publish", "release", "boot", "clean", "version", "fmt"} {
		if commands[name] == nil {
			t.Errorf("command %s is not registered", name)
		}
	}
	if code, _, e := runCLI("bulid"); code != exitUsage || !strings.Contains(e, `did you mean "build"`) {
		t.Errorf("unknown command: code %d, stderr %q", code, e)
	}
	if code, _, _ := runCLI(); code != exitUsage {
		t.Errorf("no command: code %d", code)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI("version")
	if code != 0 || !strings.HasPrefix(out, "chrootbuild dev (go1.") {
		t.Errorf("version: code %d, %q", code, out)
	}
}

func TestValidate(t *testing.T) {
	code, out, e := runCLI("validate", validDef, "--var", "suite=trixie")
	if code != 0 || !strings.Contains(out, `image "debian" is valid: 6 steps, 2 outputs`) {
		t.Errorf("valid: code %d, stdout %q, stderr %q", code, out, e)
	}
	code, out, e = runCLI("validate", "--var", "suite=sid", validDef)
	if code != exitFail || !strings.Contains(e, "Supported suites: bookworm, trixie.") || out != "" {
		t.Errorf("failed validation: code %d, stderr %q", code, e)
	}
	code, _, e = runCLI("validate", invalidDef)
	if code != exitFail || !strings.Contains(e, "check_errors.hcl:10:15") || !strings.Contains(e, "18 error(s)") {
		t.Errorf("invalid: code %d, stderr %s", code, e)
	}
	if code, _, _ = runCLI("validate"); code != exitUsage {
		t.Errorf("no path: code %d", code)
	}
	if code, _, _ = runCLI("validate", "--var", "novalue", validDef); code != exitUsage {
		t.Errorf("--var without =: code %d", code)
	}
}

func TestPlan(t *testing.T) {
	code, out, e := runCLI("plan", validDef)
	if code != 0 || !strings.Contains(out, "debian bookworm, arch amd64, variant minbase") ||
		!strings.Contains(out, "full.hcl:47") || !strings.Contains(out, "squashfs rootfs.sqsh") {
		t.Errorf("plan: code %d\n%s%s", code, out, e)
	}
	code, out, e = runCLI("plan", "--json", "--var", "suite=trixie", validDef)
	var p struct {
		Bootstrap struct{ Suite string }
		Steps     []struct {
			Index                 int
			Kind, Source, Summary string
		}
		Outputs []struct{ Kind, Path string }
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 0 {
		t.Fatalf("plan --json: code %d, %v\n%s%s", code, err, out, e)
	}
	if p.Bootstrap.Suite != "trixie" || len(p.Steps) != 6 || p.Steps[5].Index != 6 || p.Steps[0].Kind != "sysctl" ||
		!strings.HasSuffix(p.Steps[1].Source, "full.hcl:47") || p.Steps[0].Summary == "" || p.Outputs[0].Path != "rootfs.tar" {
		t.Errorf("plan --json = %+v", p)
	}
}

// TestMain lets the test binary act as the command, so that a test can
// run it as another user without building it again.
func TestMain(m *testing.M) {
	chroot.Init()
	if os.Getenv("CHROOTBUILD_TEST_AS_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// TestValidateUnprivileged runs validate as nobody (uid 65534) in a new
// network namespace, which has no network at all: validate needs no root
// and no network.
func TestValidateUnprivileged(t *testing.T) {
	testenv.RequireRoot(t)
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	self, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "chrootbuild")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	defs := []string{filepath.Join(copyTree(t, "../../hcl/testdata/valid", filepath.Join(dir, "valid")), "full.hcl")}
	_, err = os.Stat("../../images/debian/image.hcl")
	testenv.Need(t, err == nil, "images/debian/image.hcl, the default image")
	if err == nil {
		copyTree(t, "../../images", filepath.Join(dir, "images"))
		defs = append(defs, "images/debian")
	}
	for _, def := range defs {
		cmd := exec.Command(bin, "validate", def)
		cmd.Env = []string{"CHROOTBUILD_TEST_AS_MAIN=1", "PATH=/usr/bin:/bin"}
		cmd.SysProcAttr = nobodyOffline()
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "is valid") {
			t.Errorf("validate %s as uid 65534: %v\n%s", def, err, out)
		}
	}
	// The same as nobody on a broken definition: exit 1 and diagnostics.
	bad := filepath.Join(dir, "bad.hcl")
	write(t, bad, "image \"x\" {\n  bootstrap { sute = \"bookworm\" }\n}\n")
	cmd := exec.Command(bin, "validate", bad)
	cmd.Env = []string{"CHROOTBUILD_TEST_AS_MAIN=1"}
	cmd.SysProcAttr = nobodyOffline()
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "bad.hcl:2:15") {
		t.Errorf("invalid definition as nobody: %v\n%s", err, out)
	}
}

// nobodyOffline runs a child as uid/gid 65534 in its own, empty network
// namespace.
func nobodyOffline() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		Credential: &syscall.Credential{Uid: 65534, Gid: 65534},
		Cloneflags: syscall.CLONE_NEWNET,
	}
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies a folder with files readable by everyone.
func copyTree(t *testing.T, src, dst string) string {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  string
		v    string
		code int
	}{
		{[]string{"a"}, "a", "", -1},
		{[]string{"-v", "1", "a"}, "a", "1", -1},
		{[]string{"a", "--v", "2", "b"}, "a b", "2", -1},
		{[]string{"a", "--", "-v", "3"}, "a -v 3", "", -1},
		{[]string{"--nope", "a"}, "", "", exitUsage},
		{[]string{"-h"}, "", "", exitOK},
	} {
		fs := newFlags(&command{name: "t"}, &bytes.Buffer{})
		v := fs.String("v", "", "")
		pos, code := parseArgs(fs, tc.args)
		if code != tc.code || strings.Join(pos, " ") != tc.pos || *v != tc.v {
			t.Errorf("parseArgs(%q) = %q %d, v=%q", tc.args, pos, code, *v)
		}
	}
}
