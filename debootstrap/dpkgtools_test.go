package debootstrap

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/aptrepotest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestDpkgToolsMatchDpkg compares the host tools dpkg --unpack gets in an
// emulated root with the real dpkg-deb and dpkg-split, on packages that
// dpkg-deb builds with every compression it has and with maintainer
// scripts: the same control files (names, modes, owners, contents), the
// same data tar byte for byte, the same "not a part" status, and a part
// of a split archive recognised as one.
func TestDpkgToolsMatchDpkg(t *testing.T) {
	testenv.RequireTool(t, "dpkg-deb")
	testenv.RequireTool(t, "dpkg-split")
	for _, z := range []string{"xz", "gzip", "zstd", "none"} {
		t.Run(z, func(t *testing.T) {
			deb := buildToolsDeb(t, z)
			want, got := t.TempDir()+"/ci", t.TempDir()+"/ci"
			if out, err := exec.Command("dpkg-deb", "--control", deb, want).CombinedOutput(); err != nil {
				t.Fatalf("dpkg-deb --control: %v: %s", err, out)
			}
			if err := debControl(deb, got); err != nil {
				t.Fatal(err)
			}
			if w, g := listTree(t, want), listTree(t, got); w != g {
				t.Errorf("control files differ:\ndpkg-deb:\n%s\nhost tool:\n%s", w, g)
			}
			wantTar, err := exec.Command("dpkg-deb", "--fsys-tarfile", deb).Output()
			if err != nil {
				t.Fatal(err)
			}
			var gotTar bytes.Buffer
			if err := debData(deb, &gotTar); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(wantTar, gotTar.Bytes()) {
				t.Errorf("--fsys-tarfile: %d bytes from dpkg-deb, %d from the host tool", len(wantTar), gotTar.Len())
			}
			reasm := filepath.Join(t.TempDir(), "reassemble.deb")
			err = exec.Command("dpkg-split", "-Qao", reasm, deb).Run()
			if code := dpkgSplitTool([]string{"-Qao", reasm, deb}); exitCode(err) != 1 || code != 1 {
				t.Errorf("dpkg-split -Qao: dpkg-split %v, the host tool %d; want 1 (not a part) from both", err, code)
			}
		})
	}
	deb := buildToolsDeb(t, "none")
	parts := filepath.Join(t.TempDir(), "part")
	if out, err := exec.Command("dpkg-split", "--split", "--partsize", "10", deb, parts).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-split --split: %v: %s", err, out)
	}
	first, _ := filepath.Glob(parts + ".1of*.deb")
	if len(first) != 1 {
		t.Fatalf("no first part: %v", first)
	}
	if name, err := firstArMember(first[0]); err != nil || name == "debian-binary" {
		t.Errorf("a split part's first member: %q %v; the host tool would take it for a whole .deb", name, err)
	}
}

// TestRmToolRemovesTree is dpkg's rm -rf -- of its control folder: the
// tool takes only paths below /var/lib/dpkg/ (the rest goes to the root's
// rm), and removes them as rm -rf does (here in a test's folder).
func TestRmToolRemovesTree(t *testing.T) {
	for p, want := range map[string]bool{"/var/lib/dpkg/tmp.ci": true, "/var/lib/dpkg/../../..": false, "/": false, "var/lib/dpkg/tmp.ci": false, "/var/lib/dpkg": false} {
		if inDpkgAdmin(p) != want {
			t.Errorf("inDpkgAdmin(%q) = %v", p, !want)
		}
	}
	dir := filepath.Join(t.TempDir(), "tmp.ci")
	aptrepotest.WriteFile(t, filepath.Join(dir, "a/b/c"), []byte("x"))
	os.Chmod(filepath.Join(dir, "a"), 0o500)
	if code := removeTree(dir); code != 0 {
		t.Fatalf("rm -rf: %d", code)
	}
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there: %v", dir, err)
	}
	if code := removeTree(dir); code != 0 {
		t.Errorf("rm -rf of nothing: %d, want 0", code)
	}
}

// buildToolsDeb builds a package with dpkg-deb, compressed with z, with
// a postinst (0755), a conffile list and a file owned by another user.
func buildToolsDeb(t *testing.T, z string) string {
	src := t.TempDir()
	files := map[string]string{
		"DEBIAN/control":              "Package: tools-test\nVersion: 1\nArchitecture: all\nMaintainer: t <t@example.invalid>\nDescription: test\n",
		"DEBIAN/postinst":             "#!/bin/sh\nexit 0\n",
		"DEBIAN/conffiles":            "/etc/tools-test.conf\n",
		"DEBIAN/md5sums":              "d41d8cd98f00b204e9800998ecf8427e  usr/share/tools-test/empty\n",
		"etc/tools-test.conf":         "a=1\n",
		"usr/share/tools-test/empty":  "",
		"usr/share/tools-test/data":   strings.Repeat("chrootbuild ", 5000),
		"usr/share/doc/tools-test/NE": "x",
	}
	for name, content := range files {
		aptrepotest.WriteFile(t, filepath.Join(src, name), []byte(content))
	}
	os.Chmod(filepath.Join(src, "DEBIAN/postinst"), 0o755)
	os.Chown(filepath.Join(src, "usr/share/tools-test/data"), 1, 2)
	out := filepath.Join(t.TempDir(), "tools-test_"+z+".deb")
	if b, err := exec.Command("dpkg-deb", "-Z"+z, "--build", src, out).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb --build: %v: %s", err, b)
	}
	return out
}

// listTree lists the files under dir with mode, owner and content.
func listTree(t *testing.T, dir string) string {
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		fi, _ := os.Lstat(filepath.Join(dir, e.Name()))
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		st := fi.Sys().(*syscall.Stat_t)
		fmt.Fprintf(&b, "%s %v %d:%d %q\n", e.Name(), fi.Mode(), st.Uid, st.Gid, data)
	}
	return b.String()
}

func exitCode(err error) int {
	if e, ok := err.(*exec.ExitError); ok {
		return e.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
