package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
)

func TestSSHServerDefaultsAndRender(t *testing.T) {
	s := decodeStep(t, "ssh_server", `settings = { ClientAliveInterval = "120" }`).(*SSHServer)
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := strings.Join([]string{
		"PermitRootLogin prohibit-password",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PubkeyAuthentication yes",
		"ClientAliveInterval 120",
	}, "\n") + "\n"
	if got := s.render(); !strings.HasSuffix(got, want) {
		t.Errorf("render =\n%s\nwant it to end with\n%s", got, want)
	}
	s = decodeStep(t, "ssh_server", `
permit_root_login = "without-password"
password_authentication = true
accept_env = ["LANG", "LC_*"]`).(*SSHServer)
	got := s.render()
	for _, l := range []string{"PermitRootLogin prohibit-password\n", "PasswordAuthentication yes\n", "AcceptEnv LANG LC_*\n"} {
		if !strings.Contains(got, l) {
			t.Errorf("render lacks %q:\n%s", l, got)
		}
	}
	if strings.Contains(got, "KbdInteractive") {
		t.Errorf("render turns keyboard-interactive off with passwords on:\n%s", got)
	}
}

func TestSSHServerCheckErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    SSHServer
		attr string
	}{
		{"root login", SSHServer{PermitRootLogin: "maybe"}, "permit_root_login"},
		{"env", SSHServer{PermitRootLogin: "no", AcceptEnv: []string{"LANG X"}}, "accept_env"},
		{"keyword", SSHServer{PermitRootLogin: "no", Settings: map[string]string{"Client Alive": "1"}}, "settings"},
		{"typed", SSHServer{PermitRootLogin: "no", Settings: map[string]string{"passwordauthentication": "yes"}}, "settings"},
		{"match", SSHServer{PermitRootLogin: "no", Settings: map[string]string{"Match": "User x"}}, "settings"},
		{"newline", SSHServer{PermitRootLogin: "no", Settings: map[string]string{"Banner": "a\nPermitRootLogin yes"}}, "settings"},
		{"empty", SSHServer{PermitRootLogin: "no", Settings: map[string]string{"Banner": " "}}, "settings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := check.Fields(tc.s.Check())
			if len(fields) != 1 || fields[0].Attr != tc.attr {
				t.Fatalf("Check() = %v, want one error on %q", fields, tc.attr)
			}
		})
	}
}

func TestSSHDConfigEdits(t *testing.T) {
	debian := "# comment\n\nInclude /etc/ssh/sshd_config.d/*.conf\n\nUsePAM yes\nAcceptEnv LANG LC_*\n  acceptenv=FOO\n"
	if _, changed := ensureInclude(debian); changed {
		t.Errorf("ensureInclude changed Debian's file")
	}
	old := "Port 22\nInclude /etc/ssh/sshd_config.d/*.conf\n"
	if got, changed := ensureInclude(old); !changed || !strings.HasPrefix(got, sshdInclude+"\nPort 22\n") {
		t.Errorf("ensureInclude(%q) = %q, %v", old, got, changed)
	}
	got, changed := dropAcceptEnv(debian)
	if !changed || strings.Contains(strings.ReplaceAll(got, "#", "\n#"), "\nAcceptEnv") {
		t.Fatalf("dropAcceptEnv left AcceptEnv:\n%s", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if kw := sshdKeyword(l); kw == "acceptenv" {
			t.Errorf("line %q still sets AcceptEnv", l)
		}
	}
	if !strings.Contains(got, "UsePAM yes\n") {
		t.Errorf("dropAcceptEnv lost other lines:\n%s", got)
	}
}

func TestSSHServerCompare(t *testing.T) {
	s := &SSHServer{PermitRootLogin: "prohibit-password", PubkeyAuthentication: true}
	good := sshdOptions("permitrootlogin without-password\npasswordauthentication no\npubkeyauthentication yes\n")
	if err := s.compare(good); err != nil {
		t.Errorf("compare(good) = %v", err)
	}
	if err := s.compare(sshdOptions("permitrootlogin prohibit-password\npasswordauthentication no\npubkeyauthentication yes\n")); err != nil {
		t.Errorf("compare with the new spelling = %v", err)
	}
	bad := sshdOptions("permitrootlogin yes\npasswordauthentication no\npubkeyauthentication yes\nacceptenv LANG\n")
	err := s.compare(bad)
	if err == nil || !strings.Contains(err.Error(), "permitrootlogin yes") || !strings.Contains(err.Error(), "acceptenv LANG") {
		t.Errorf("compare(bad) = %v", err)
	}
}

func testSSHServerApply(t *testing.T, env *Env) {
	mustApply(t, env, "ssh_server", `settings = { ClientAliveInterval = "120" }`)
	if d := readInRoot(t, env, sshdDropIn); !strings.Contains(d, "PasswordAuthentication no\n") {
		t.Errorf("%s:\n%s", sshdDropIn, d)
	}
	for _, l := range strings.Split(readInRoot(t, env, "/etc/ssh/sshd_config"), "\n") {
		if sshdKeyword(l) == "acceptenv" {
			t.Errorf("sshd_config still has %q", l)
		}
	}
	// The image's own sshd -t and -T with a host key, as nobody: as root
	// sshd wants /run/sshd, and /run is a fresh tmpfs for every command.
	runInRoot(t, env, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", "/etc/ssh/test_host_key")
	os.Chown(filepath.Join(env.Root.Dir(), "etc/ssh/test_host_key"), 65534, 65534)
	runInRoot(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-t", "-h", "/etc/ssh/test_host_key")
	opts := sshdOptions(runInRoot(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-T", "-h", "/etc/ssh/test_host_key"))
	for k, want := range map[string]string{
		"passwordauthentication": "no", "permitrootlogin": "without-password", "pubkeyauthentication": "yes",
		"kbdinteractiveauthentication": "no", "clientaliveinterval": "120",
	} {
		if got := strings.Join(opts[k], " "); got != want {
			t.Errorf("sshd -T: %s %q, want %q", k, got, want)
		}
	}
	if v := opts["acceptenv"]; len(v) > 0 {
		t.Errorf("sshd -T: acceptenv %v, want none", v)
	}
	if existsInRoot(env, sshdCheckDir) {
		t.Errorf("%s was left behind", sshdCheckDir)
	}
	wantErr(t, applyStep(t, env, "ssh_server", `settings = { Bogus = "yes" }`), "Bogus")
	mustApply(t, env, "ssh_server", `accept_env = ["LANG"]`)
	if got := sshdOptions(runInRoot(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-T", "-h", "/etc/ssh/test_host_key"))["acceptenv"]; len(got) != 1 || got[0] != "LANG" {
		t.Errorf("sshd -T with accept_env = [LANG]: acceptenv %v", got)
	}
	mustApply(t, env, "ssh_server", ``)

	// A main file without the Include and with its own values first: the
	// Include goes on top, so the drop-in's values still win.
	main := filepath.Join(env.Root.Dir(), "etc/ssh/sshd_config")
	os.WriteFile(main, []byte("PermitRootLogin yes\nPasswordAuthentication yes\nAcceptEnv LANG\nSubsystem sftp /usr/lib/openssh/sftp-server\n"), 0o644)
	mustApply(t, env, "ssh_server", ``)
	if got := readInRoot(t, env, "/etc/ssh/sshd_config"); !strings.HasPrefix(got, sshdInclude+"\n") {
		t.Errorf("sshd_config does not start with the Include:\n%s", got)
	}
	opts = sshdOptions(runInRoot(t, env, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/sbin/sshd", "-T", "-h", "/etc/ssh/test_host_key"))
	if opts["permitrootlogin"][0] != "without-password" || opts["passwordauthentication"][0] != "no" || len(opts["acceptenv"]) != 0 {
		t.Errorf("sshd -T after the Include was added: %v %v %v", opts["permitrootlogin"], opts["passwordauthentication"], opts["acceptenv"])
	}
}
