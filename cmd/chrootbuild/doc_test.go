package main

import (
	"strings"
	"testing"
)

func TestDoc(t *testing.T) {
	code, out, _ := runCLI("doc")
	if code != exitOK || !strings.Contains(out, "provision \"user\"\n") || !strings.Contains(out, "output \"manifest\"\n") {
		t.Errorf("doc: code %d, %q", code, out)
	}
	if code, out, _ := runCLI("doc", "output"); code != exitOK || !strings.Contains(out, "\nsquashfs\n") {
		t.Errorf("doc output: code %d, %q", code, out)
	}
	code, out, _ = runCLI("doc", "output", "manifest")
	want := "output \"manifest\" {\n  path   = string  # required\n  format = string  # optional, default \"text\"\n}\n"
	if code != exitOK || out != want {
		t.Errorf("doc output manifest: code %d,\n%s\nwant\n%s", code, out, want)
	}
	code, out, _ = runCLI("doc", "provision", "network")
	if code != exitOK || !strings.Contains(out, "  interface \"NAME\" {  # any number\n    dhcp    = bool  # optional\n") {
		t.Errorf("doc provision network: code %d,\n%s", code, out)
	}
	if code, _, e := runCLI("doc", "provision", "usr"); code != exitFail || !strings.Contains(e, `there is no provision kind "usr"`) {
		t.Errorf("unknown kind: code %d, %q", code, e)
	}
	if code, _, _ := runCLI("doc", "steps"); code != exitUsage {
		t.Errorf("unknown class: code %d", code)
	}
}
