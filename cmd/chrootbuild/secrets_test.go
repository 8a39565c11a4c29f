package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// Canary secrets: a sensitive variable (and its upper-case form, derived
// through a function), a credential read by env(), one read by file(),
// and a sensitive value too short to be scrubbed by text, which only
// redaction at the source can hide.
const (
	canaryToken = "c4n4ry-T0k3n-9f8e7d"
	canaryUpper = "C4N4RY-T0K3N-9F8E7D"
	canaryEnv   = "env-c4n4ry-5ecr3t"
	canaryFile  = "file-c4n4ry-k3y"
	canaryShort = "q7z"
)

// canaryDef is a definition that uses every canary in steps, locals and
// templates; withErrors adds mistakes whose messages would quote them.
func canaryDef(t *testing.T, withErrors bool) string {
	t.Helper()
	dir := t.TempDir()
	errs := ""
	if withErrors {
		errs = `
  description = parseint(var.token, 10)
  provision "user" { name = var.token }
  provision "user" { name = "${var.pin}!" }
  provision "sysctl" { values = { "x" = "${var.token} ${local.shout}" } }
`
	}
	src := `variable "token" {
  sensitive = true
}
variable "pin" {
  sensitive = true
}
variable "round" {
  default = "0"
}
variable "port" {
  type      = number
  sensitive = true
  default   = 1
}
locals {
  auth  = "Bearer ${var.token}"
  shout = upper(var.token)
  cloud = env("CANARY_SECRET_ACCESS_KEY")
  key   = trimspace(file("id_canary"))
}
image "canary" {
  bootstrap {
    distribution = "debian"
    suite        = "bookworm"
    arch         = "amd64"
    variant      = "minbase"
  }
  provision "exec" {
    argv = ["sh", "-c", "echo said ${var.token} ${local.shout} ${local.cloud} ${local.key} pin ${var.pin} round ${var.round}"]
  }
  provision "file" {
    path    = "/etc/canary"
    content = "${local.auth}\n${var.pin}\n"
  }
  output "tar" { path = "rootfs.tar" }` + errs + `
}
`
	if err := os.WriteFile(filepath.Join(dir, "image.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "id_canary"), []byte(canaryFile+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// noCanary fails if text holds a canary; short says whether the short one
// is looked for too (it is not where a step's own output is printed: only
// redaction at the source hides it, and a command's output is not ours).
func noCanary(t *testing.T, channel, text string, short bool) {
	t.Helper()
	canaries := []string{canaryToken, canaryUpper, canaryEnv, canaryFile}
	if short {
		canaries = append(canaries, canaryShort)
	}
	for _, c := range canaries {
		if strings.Contains(text, c) {
			t.Errorf("%s shows the canary %q:\n%s", channel, c, text)
		}
	}
}

var canaryVars = []string{"--var", "token=" + canaryToken, "--var", "pin=" + canaryShort}

func TestSecretsNeverShownByPlanOrDiagnostics(t *testing.T) {
	t.Setenv("CANARY_SECRET_ACCESS_KEY", canaryEnv)
	def := canaryDef(t, false)
	for _, args := range [][]string{
		{"plan", "--cache-status=false"},
		{"plan", "--cache-status=false", "--json"},
		{"validate"},
	} {
		code, out, errOut := runCLI(append(append(args, canaryVars...), def)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		noCanary(t, strings.Join(args, " "), out+errOut, true)
		if args[0] == "plan" && !strings.Contains(out, "(sensitive)") {
			t.Errorf("%v: the plan does not say where a value is hidden:\n%s", args, out)
		}
	}
	bad := canaryDef(t, true)
	code, out, errOut := runCLI(append(append([]string{"validate"}, canaryVars...), bad)...)
	if code == exitOK || !strings.Contains(errOut, "Invalid user step") || !strings.Contains(errOut, "parseint") {
		t.Fatalf("validate of mistakes: exit %d, stderr:\n%s", code, errOut)
	}
	noCanary(t, "diagnostics and check errors", out+errOut, true)
	code, _, errOut = runCLI("validate", "--var", "token="+canaryToken, "--var", "pin=x", "--var", "port="+canaryToken, def)
	if code == exitOK || !strings.Contains(errOut, "--var port") {
		t.Fatalf("a bad --var: exit %d, stderr:\n%s", code, errOut)
	}
	noCanary(t, "a bad --var", errOut, true)
}

// TestSecretsNeverShownByBuild builds the canary definition, its step
// printing every canary, and searches the progress lines, the JSON events
// and the step cache's file names and manifests.
func TestSecretsNeverShownByBuild(t *testing.T) {
	testenv.RequireRoot(t)
	def, cache := canaryDef(t, false), t.TempDir()
	for _, asJSON := range []bool{false, true} {
		args := append([]string{"build", "--out", t.TempDir(), "--step-cache", cache}, canaryVars...)
		if asJSON { // the steps run again, the base comes from the cache
			args = append(args, "--json", "--var", "round=1")
		}
		cmd := exec.Command(os.Args[0], append(args, def)...)
		cmd.Env = append(os.Environ(), "CHROOTBUILD_TEST_AS_MAIN=1", "CANARY_SECRET_ACCESS_KEY="+canaryEnv)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("build (json %v): %v\n%s%s", asJSON, err, out.String(), errOut.String())
		}
		if !strings.Contains(out.String(), "said (sensitive) (sensitive) (sensitive) (sensitive) pin") {
			t.Errorf("build (json %v): the step's output line is missing or not scrubbed:\n%s", asJSON, out.String())
		}
		// The step prints the short canary itself: only the summaries are
		// searched for it.
		noCanary(t, "build output", out.String()+errOut.String(), false)
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.Contains(line, "==>") || strings.Contains(line, `"summary"`) {
				noCanary(t, "a progress line", line, true)
			}
		}
	}
	err := filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(cache, p)
		noCanary(t, "a step cache file name", rel, true)
		if strings.HasSuffix(p, ".json") && !strings.Contains(rel, "/") || filepath.Dir(rel) == "layers" && !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			noCanary(t, "step cache manifest "+rel, string(b), true)
		}
		if d.IsDir() && filepath.Dir(rel) == "layers" {
			return filepath.SkipDir // the image's own files hold the canary by design
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
