package images_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// sourceHook sources the DHCP hook as dhclient-script does, with the
// lease variables given, and returns what the hostname command received.
func sourceHook(t *testing.T, env []string, vars string) []string {
	t.Helper()
	rec, log := recorder(t)
	script := vars + "\n. " + helper("hostname") + "\necho hook-returned\n"
	out := mustRun(t, append(env, "OC_HOSTNAME_CMD="+rec), "-c", script)
	if !strings.HasSuffix(out, "hook-returned\n") {
		t.Fatalf("the hook did not return to dhclient-script: %q", out)
	}
	return calls(t, log)
}

const baseHosts = "127.0.0.1\tlocalhost\n127.0.1.1\tserver\n::1\tlocalhost ip6-localhost\n"

func TestHostnameHookFromDHCP(t *testing.T) {
	srv := serve(t, fixture(), 0)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc/hosts"), baseHosts, 0o644)
	writeFile(t, filepath.Join(root, "etc/hostname"), "server\n", 0o644)
	got := sourceHook(t, shEnv(t, srv.URL, "ROOT="+root), "reason=BOUND new_host_name=db-2.example.net")
	if len(got) != 1 || got[0] != "db-2.example.net" {
		t.Errorf("hostname called with %q", got)
	}
	if h := readFile(t, filepath.Join(root, "etc/hostname")); h != "db-2.example.net\n" {
		t.Errorf("/etc/hostname = %q", h)
	}
	want := "127.0.0.1\tlocalhost\n127.0.1.1\tdb-2.example.net db-2\n::1\tlocalhost ip6-localhost\n"
	if h := readFile(t, filepath.Join(root, "etc/hosts")); h != want {
		t.Errorf("/etc/hosts:\n%q\nwant\n%q", h, want)
	}
	if n := srv.count.Load(); n != 0 {
		t.Errorf("asked the metadata %d times though DHCP gave a name", n)
	}
}

func TestHostnameHookFromMetadata(t *testing.T) {
	srv := serve(t, fixture(), 1)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc/hosts"), "127.0.0.1\tlocalhost\n", 0o644)
	got := sourceHook(t, shEnv(t, srv.URL, "ROOT="+root), "reason=REBOOT new_host_name=")
	if len(got) != 1 || got[0] != "web-1" {
		t.Errorf("hostname called with %q", got)
	}
	if h := readFile(t, filepath.Join(root, "etc/hosts")); h != "127.0.0.1\tlocalhost\n127.0.1.1\tweb-1\n" {
		t.Errorf("/etc/hosts = %q", h)
	}
}

func TestHostnameHookIgnoresOtherReasonsAndBadNames(t *testing.T) {
	srv := serve(t, fixture(), 0)
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc/hosts"), baseHosts, 0o644)
	env := shEnv(t, srv.URL, "ROOT="+root)
	if got := sourceHook(t, env, "reason=EXPIRE new_host_name=x"); got != nil {
		t.Errorf("EXPIRE renamed the host: %q", got)
	}
	got := sourceHook(t, env, `reason=RENEW new_host_name='evil;touch /x
127.0.0.1 bank'`)
	if len(got) != 1 || got[0] != "eviltouchx127.0.0.1bank" {
		t.Errorf("hostname called with %q", got)
	}
	if h := readFile(t, filepath.Join(root, "etc/hosts")); strings.Count(h, "\n") != 3 || strings.Contains(h, " bank") {
		t.Errorf("/etc/hosts took the injected line:\n%s", h)
	}
}

// TestHostnameHookRealHostname runs the real hostname command in a UTS
// namespace of its own, so the host keeps its name.
func TestHostnameHookRealHostname(t *testing.T) {
	testenv.RequireRoot(t)
	unshare := testenv.RequireTool(t, "unshare")
	dash := testenv.RequireTool(t, "dash")
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "etc/hosts"), baseHosts, 0o644)
	script := "reason=BOUND new_host_name=uts-test\n. " + helper("hostname") + "\nhostname\n"
	cmd := exec.Command(unshare, "--uts", dash, "-c", script)
	cmd.Env = shEnv(t, "http://127.0.0.1:9/conf", "ROOT="+root)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if string(out) != "uts-test\n" {
		t.Errorf("hostname after the hook: %q", out)
	}
}
