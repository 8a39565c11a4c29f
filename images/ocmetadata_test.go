package images_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

func TestOcMetadataKeys(t *testing.T) {
	srv := serve(t, fixture(), 0)
	env := shEnv(t, srv.URL)
	for _, c := range []struct{ key, want string }{
		{"HOSTNAME", "web-1"},
		{"NAME", "web one"},
		{"SSH_PUBLIC_KEYS", "2"},
		{"SSH_PUBLIC_KEYS_1_KEY", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABKey1 bob's key"},
		{"VOLUMES", "0 1 2 3"},
		{"VOLUMES_3_EXPORT_URI", "nbd://10.1.0.3:4003/exp3"},
	} {
		if got := mustRun(t, env, helper("oc-metadata"), "--cached", c.key); got != c.want+"\n" {
			t.Errorf("oc-metadata %s = %q, want %q", c.key, got, c.want+"\n")
		}
	}
	if n := srv.count.Load(); n != 1 {
		t.Errorf("--cached made %d requests, want 1", n)
	}
	_, err := runSh(t, env, helper("oc-metadata"), "--cached", "NO_SUCH_KEY")
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("absent key: %v, want exit 1", err)
	}
	if _, err := runSh(t, env, helper("oc-metadata"), "BAD;KEY"); err == nil {
		t.Error("a key with ; was accepted")
	}
}

func TestOcMetadataAllAndJSON(t *testing.T) {
	m := fixture()
	srv := serve(t, m, 0)
	env := shEnv(t, srv.URL)
	text, _ := m.Text()
	if got := mustRun(t, env, helper("oc-metadata")); got != text {
		t.Errorf("oc-metadata printed\n%s\nwant\n%s", got, text)
	}
	var doc struct {
		Hostname      string `json:"hostname"`
		SSHPublicKeys []struct {
			Key string `json:"key"`
		} `json:"ssh_public_keys"`
	}
	out := mustRun(t, env, helper("oc-metadata"), "--json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json printed no JSON: %v\n%s", err, out)
	}
	if doc.Hostname != "web-1" || len(doc.SSHPublicKeys) != 2 {
		t.Errorf("--json document %+v", doc)
	}
	if _, err := runSh(t, env, helper("oc-metadata"), "--json", "HOSTNAME"); err == nil {
		t.Error("--json with a key was accepted")
	}
}

// TestOcMetadataRetries: the service answers 503 three times, then 200;
// oc-metadata keeps asking until it answers.
func TestOcMetadataRetries(t *testing.T) {
	srv := serve(t, fixture(), 3)
	got := mustRun(t, shEnv(t, srv.URL), helper("oc-metadata"), "HOSTNAME")
	if got != "web-1\n" {
		t.Errorf("got %q", got)
	}
	if n := srv.count.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (3 refused, 1 answered)", n)
	}
}

// TestOcMetadataGivesUp: with OC_METADATA_TRIES the wait is bounded, and
// the failure says what was asked.
func TestOcMetadataGivesUp(t *testing.T) {
	srv := serve(t, fixture(), 100)
	env := shEnv(t, srv.URL, "OC_METADATA_TRIES=2")
	out, err := runSh(t, env, helper("oc-metadata"), "HOSTNAME")
	if err == nil {
		t.Fatalf("succeeded with %q against a refusing service", out)
	}
	if n := srv.count.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestOcMetadataUnquotes checks values that need shell quoting come back
// as the service meant them, without being run.
func TestOcMetadataUnquotes(t *testing.T) {
	m := fixture()
	m.Name = `it's $(touch /tmp/oc-pwned) "x" \n`
	srv := serve(t, m, 0)
	got := mustRun(t, shEnv(t, srv.URL), helper("oc-metadata"), "NAME")
	if got != m.Name+"\n" {
		t.Errorf("NAME = %q, want %q", got, m.Name)
	}
	if strings.Contains(got, "pwned") && !strings.Contains(got, "$(touch") {
		t.Error("the value was evaluated")
	}
}
