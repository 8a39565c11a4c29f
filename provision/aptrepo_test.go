package provision

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// localRepo builds a flat apt repository inside the root at /srv/repo
// holding one package, name (installing /usr/share/NAME/hello), with an
// InRelease clearsigned by a fresh gpg key, and returns that key
// ASCII-armored. Everything the repository needs is made here, so apt
// works offline against it.
func localRepo(t *testing.T, rootDir, name string) (armoredKey string) {
	t.Helper()
	testenv.RequireTool(t, "gpg")
	testenv.RequireTool(t, "dpkg-deb")
	work := t.TempDir()
	pkg := filepath.Join(work, "pkg")
	os.MkdirAll(filepath.Join(pkg, "DEBIAN"), 0o755)
	os.MkdirAll(filepath.Join(pkg, "usr/share", name), 0o755)
	os.WriteFile(filepath.Join(pkg, "usr/share", name, "hello"), []byte("hello from the local repo\n"), 0o644)
	os.WriteFile(filepath.Join(pkg, "DEBIAN/control"), []byte("Package: "+name+"\nVersion: 1.0\nArchitecture: all\n"+
		"Maintainer: chrootbuild tests <test@invalid>\nDescription: test package of chrootbuild\n"), 0o644)
	repo := filepath.Join(rootDir, "srv/repo")
	os.MkdirAll(repo, 0o755)
	deb := filepath.Join(repo, name+"_1.0_all.deb")
	hostRun(t, "", "dpkg-deb", "--root-owner-group", "--build", pkg, deb)

	debData, _ := os.ReadFile(deb)
	packages := fmt.Sprintf("Package: "+name+"\nVersion: 1.0\nArchitecture: all\n"+
		"Maintainer: chrootbuild tests <test@invalid>\nInstalled-Size: 1\nFilename: ./"+name+"_1.0_all.deb\n"+
		"Size: %d\nSHA256: %s\nDescription: test package of chrootbuild\n", len(debData), sha(debData))
	os.WriteFile(filepath.Join(repo, "Packages"), []byte(packages), 0o644)
	release := fmt.Sprintf("Origin: chrootbuild-test\nLabel: chrootbuild-test\nDate: %s\nSHA256:\n %s %d Packages\n",
		time.Now().UTC().Format("Mon, 02 Jan 2006 15:04:05 UTC"), sha([]byte(packages)), len(packages))
	os.WriteFile(filepath.Join(repo, "Release"), []byte(release), 0o644)

	home := filepath.Join(work, "gnupg")
	os.Mkdir(home, 0o700)
	gpg := func(args ...string) string {
		return hostRun(t, home, "gpg", append([]string{"--batch", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
	}
	gpg("--quick-gen-key", "chrootbuild test <test@invalid>", "ed25519", "sign", "never")
	gpg("--clearsign", "--output", filepath.Join(repo, "InRelease"), filepath.Join(repo, "Release"))
	return gpg("--armor", "--export", "test@invalid")
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// hostRun runs a host tool, with GNUPGHOME when home is set.
func hostRun(t *testing.T, home, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	if home != "" {
		cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
	}
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("%s %v: %v: %s", name, args, err, ee.Stderr)
		}
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}
