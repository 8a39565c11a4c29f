package hcl

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const secret = "hunter2-hunter2"

// TestSensitiveThroughFunctionsAndTemplates: a value derived from a
// sensitive variable by a function, a string template or templatefile is
// sensitive too: in the image's secrets, redacted in the plan.
func TestSensitiveThroughFunctionsAndTemplates(t *testing.T) {
	dir := writeDef(t, `variable "token" { sensitive = true }
locals {
  upper    = upper(var.token)
  template = "Bearer ${var.token}"
  joined   = join(",", ["a", var.token])
  json     = jsonencode({ t = var.token })
  rendered = templatefile("t.tmpl", { t = var.token })
  reversed = strrev(var.token)
}
`+minimalImage(`  provision "file" {
    path    = "/etc/a"
    content = "${local.upper} ${local.template} ${local.joined} ${local.json} ${local.rendered} ${local.reversed}"
  }
  provision "hostname" { name = "plain" }`))
	os.WriteFile(filepath.Join(dir, "t.tmpl"), []byte("tmpl:${t}"), 0o644)
	img := load(t, dir, LoadOptions{Vars: map[string]string{"token": secret}})
	for _, want := range []string{secret, strings.ToUpper(secret), "Bearer " + secret, `{"t":"` + secret + `"}`,
		"tmpl:" + secret, "2retnuh-2retnuh"} {
		if !slices.Contains(img.Secrets, want) {
			t.Errorf("secrets lack %q: %q", want, img.Secrets)
		}
	}
	var out bytes.Buffer
	if err := img.WritePlan(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(out.String()), "hunter") || strings.Contains(out.String(), "2retnuh") {
		t.Errorf("plan shows the secret:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "hostname plain") {
		t.Errorf("plan hides a step without secrets:\n%s", out.String())
	}
}

// TestShortSecretRedactedAtTheSource: a one-letter secret is not scrubbed
// from text (it would turn every "s" into a placeholder) but the summary
// that shows it is rendered from a redacted copy.
func TestShortSecretRedactedAtTheSource(t *testing.T) {
	dir := writeDef(t, `variable "s" { sensitive = true }
`+minimalImage(`  provision "exec" { argv = ["useradd", "-p", var.s, "someone"] }`))
	img := load(t, dir, LoadOptions{Vars: map[string]string{"s": "s"}})
	got := img.Steps[0].Summary()
	if got != `exec ["useradd", "-p", "(sensitive)", "someone"]` {
		t.Errorf("summary = %q", got)
	}
	if img.Steps[0].Step.Summary() == got {
		t.Error("the real step was redacted: it would run with the placeholder")
	}
}

// TestDiagnosticsHideSensitiveValues: HCL prints "with var.x as ..." for
// the variables of a failing expression; a sensitive one is left out, and
// a function's message quoting its argument is replaced.
func TestDiagnosticsHideSensitiveValues(t *testing.T) {
	dir := writeDef(t, `variable "token" { sensitive = true }
variable "plain" { default = "shown" }
`+minimalImage(`  version     = var.token + var.plain
  description = regex("^x$", var.token)`))
	l := NewLoader(LoadOptions{Env: []string{}, Vars: map[string]string{"token": "abc"}})
	_, diags := l.Load(dir)
	var out bytes.Buffer
	l.WriteDiagnostics(&out, diags, 0)
	text := out.String()
	if !strings.Contains(text, `var.plain as "shown"`) || !strings.Contains(text, "regex failed on a sensitive argument") {
		t.Errorf("diagnostics lack the expected context:\n%s", text)
	}
	if strings.Contains(text, "abc") || strings.Contains(text, "var.token as") {
		t.Errorf("diagnostics show the secret:\n%s", text)
	}
}

func TestEnvAndFileCredentialsAreSensitive(t *testing.T) {
	dir := writeDef(t, `locals {
  key   = env("AWS_SECRET_ACCESS_KEY")
  home  = env("HOME")
  ssh   = file("id_ed25519")
  motd  = file("motd")
}
`+minimalImage(`  description = "${local.home} ${local.motd}"`))
	os.WriteFile(filepath.Join(dir, "id_ed25519"), []byte("private-key-bytes"), 0o600)
	os.WriteFile(filepath.Join(dir, "motd"), []byte("welcome"), 0o644)
	img := load(t, dir, LoadOptions{Env: []string{"AWS_SECRET_ACCESS_KEY=aws-secret-value", "HOME=/root"}})
	if got := strings.Join(img.Secrets, " "); got != "aws-secret-value private-key-bytes" {
		t.Errorf("secrets = %q", got)
	}
	if img.Description != "/root welcome" {
		t.Errorf("description = %q", img.Description)
	}
	for name, want := range map[string]bool{"GITHUB_TOKEN": true, "DB_PASSWORD": true, "API_KEY": true,
		"REGISTRY_AUTH": true, "MY_CREDENTIALS": true, "PATH": false, "HOME": false, "SUITE": false} {
		if looksLikeCredentialEnv(name) != want {
			t.Errorf("env %s: sensitive %v, want %v", name, !want, want)
		}
	}
	for name, want := range map[string]bool{"id_rsa": true, "keys/server.pem": true, "/root/.netrc": true,
		".aws/credentials": true, "/home/u/.ssh/config": true, "tls.key": true, "motd": false,
		"files/sshd_config": false, "issue.tmpl": false} {
		if looksLikeCredentialFile(name) != want {
			t.Errorf("file %s: sensitive %v, want %v", name, !want, want)
		}
	}
}

// TestBadVarDoesNotEchoSensitiveValue: --var for a sensitive number.
func TestBadVarDoesNotEchoSensitiveValue(t *testing.T) {
	dir := writeDef(t, "variable \"n\" {\n  type = number\n  sensitive = true\n}\n"+minimalImage(""))
	diags := wantDiag(t, dir, LoadOptions{Vars: map[string]string{"n": "x" + secret + "}"}}, "Invalid value for variable", "--var n")
	if strings.Contains(diags.Error(), "hunter") {
		t.Errorf("the error shows the value: %s", diags.Error())
	}
}
