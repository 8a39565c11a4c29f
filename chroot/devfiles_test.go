package chroot

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// devListing is GNU tar's verbose listing of root's ./dev, dates cut.
func devListing(t *testing.T, tarBin, tarball string) string {
	t.Helper()
	out, err := exec.Command(tarBin, "-tvf", tarball, "--wildcards", "./dev*").Output()
	if err != nil {
		t.Fatalf("tar -tvf %s: %v", tarball, err)
	}
	date := regexp.MustCompile(` +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} `)
	return date.ReplaceAllString(string(out), " ")
}

// TestWriteDevAsMmdebstrap fills an empty root's /dev and compares it,
// as GNU tar lists it, with the /dev of mmdebstrap's own tar output.
func TestWriteDevAsMmdebstrap(t *testing.T) {
	testenv.RequireRoot(t)
	tarBin := testenv.RequireTool(t, "tar")
	mmdebstrap := testenv.RequireTool(t, "mmdebstrap")
	if testenv.Short() {
		t.Skip("runs mmdebstrap against the Debian mirror")
	}
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time finds everything there
		if err := r.WriteDev(); err != nil {
			t.Fatal(err)
		}
	}
	ours := filepath.Join(t.TempDir(), "ours.tar")
	if out, err := exec.Command(tarBin, "-C", dir, "--numeric-owner", "--sort=name", "-cf", ours, "./dev").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	peer := filepath.Join(t.TempDir(), "mm.tar")
	cmd := exec.Command(mmdebstrap, "--quiet", "--variant=custom", "--mode=root", "bookworm", peer, "http://deb.debian.org/debian")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mmdebstrap: %v\n%s", err, out)
	}
	got, want := devListing(t, tarBin, ours), devListing(t, tarBin, peer)
	if got != want || !strings.Contains(got, "./dev/null") {
		t.Errorf("/dev as we write it:\n%s\nas mmdebstrap does:\n%s", got, want)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "dev/null")); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("/dev/null: %v %v", fi, err)
	}
}
