package images_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

const (
	keysBegin = "# BEGIN oc-fetch-ssh-keys (rewritten at boot; add your own keys outside this block)"
	keysEnd   = "# END oc-fetch-ssh-keys"
)

func TestFetchSSHKeys(t *testing.T) {
	srv := serve(t, fixture(), 2)
	root := t.TempDir()
	ak := filepath.Join(root, "root/.ssh/authorized_keys")
	writeFile(t, ak, "ssh-ed25519 AAAAmine admin@own\n"+keysBegin+"\nssh-rsa AAAAstale old@key\n"+keysEnd+"\n", 0o644)
	env := shEnv(t, srv.URL, "ROOT="+root)
	mustRun(t, env, helper("oc-fetch-ssh-keys"))
	want := "ssh-ed25519 AAAAmine admin@own\n" + keysBegin + "\n" +
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey0 alice@laptop\n" +
		"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABKey1 bob's key\n" +
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITag carol@desk\n" +
		keysEnd + "\n"
	if got := readFile(t, ak); got != want {
		t.Errorf("authorized_keys:\n%s\nwant:\n%s", got, want)
	}
	for p, mode := range map[string]os.FileMode{ak: 0o600, filepath.Dir(ak): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, mode)
		}
	}
	// A second run rewrites the block instead of adding another.
	mustRun(t, env, helper("oc-fetch-ssh-keys"))
	if got := readFile(t, ak); got != want {
		t.Errorf("after a second run:\n%s", got)
	}
}

// TestFetchSSHKeysKeepsFileWithoutService: no answer leaves the keys as
// they were rather than locking the owner out.
func TestFetchSSHKeysKeepsFileWithoutService(t *testing.T) {
	srv := serve(t, fixture(), 100)
	root := t.TempDir()
	ak := filepath.Join(root, "root/.ssh/authorized_keys")
	before := keysBegin + "\nssh-ed25519 AAAAkept k@k\n" + keysEnd + "\n"
	writeFile(t, ak, before, 0o600)
	if _, err := runSh(t, shEnv(t, srv.URL, "ROOT="+root, "OC_METADATA_TRIES=2"), helper("oc-fetch-ssh-keys")); err == nil {
		t.Error("succeeded without a metadata answer")
	}
	if got := readFile(t, ak); got != before {
		t.Errorf("authorized_keys changed to:\n%s", got)
	}
}

// TestSSHHostKeys creates the host keys under a root prefix with the
// host's ssh-keygen and checks the printed fingerprints are theirs.
func TestSSHHostKeys(t *testing.T) {
	kg := testenv.RequireTool(t, "ssh-keygen")
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc/ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, shEnv(t, "http://127.0.0.1:9/conf", "ROOT="+root), helper("oc-ssh-host-keys"))
	pubs, _ := filepath.Glob(filepath.Join(root, "etc/ssh/ssh_host_*_key.pub"))
	if len(pubs) < 2 {
		t.Fatalf("host keys made: %v", pubs)
	}
	if !strings.Contains(out, "-----BEGIN SSH HOST KEY FINGERPRINTS-----\n") || !strings.HasSuffix(out, "-----END SSH HOST KEY FINGERPRINTS-----\n") {
		t.Errorf("output not framed:\n%s", out)
	}
	for _, p := range pubs {
		fp, err := exec.Command(kg, "-l", "-f", p).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, strings.Fields(string(fp))[1]) {
			t.Errorf("fingerprint of %s missing from:\n%s", filepath.Base(p), out)
		}
	}
	// A second run keeps the keys.
	before := readFile(t, pubs[0])
	mustRun(t, shEnv(t, "http://127.0.0.1:9/conf", "ROOT="+root), helper("oc-ssh-host-keys"))
	if readFile(t, pubs[0]) != before {
		t.Error("a second run replaced a host key")
	}
}
