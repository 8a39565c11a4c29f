package debootstrap

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestSkeletonRepack repacks a .deb for the fast install and checks with
// dpkg-deb that the copy has the same control data and lists the same
// entries in the same order (a name over 100 bytes among them) with every
// file empty, that the plain tar is the package's data.tar byte for byte,
// and that the conffiles were read.
func TestSkeletonRepack(t *testing.T) {
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	src := t.TempDir()
	long := "usr/share/hello/" + strings.Repeat("d", 60) + "/" + strings.Repeat("f", 60)
	writeFile(t, filepath.Join(src, "DEBIAN/control"), []byte("Package: hello\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: t\n"))
	writeFile(t, filepath.Join(src, "DEBIAN/conffiles"), []byte("/etc/hello.conf\n"))
	writeFile(t, filepath.Join(src, "etc/hello.conf"), []byte("conf\n"))
	writeFile(t, filepath.Join(src, long), []byte("long name"))
	deb := filepath.Join(t.TempDir(), "hello.deb")
	if out, err := exec.Command(dpkgDeb, "--root-owner-group", "-Zxz", "--build", src, deb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb: %v: %s", err, out)
	}
	x, err := openExtractor(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer x.close()
	copyDeb := filepath.Join(t.TempDir(), "copy.deb")
	out, err := os.Create(copyDeb)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var plain bytes.Buffer
	rule := &unpackRule{}
	if err := x.unpackRepack(deb, "hello", out, repackHow{rule: rule, skeleton: true, plain: &plain}); err != nil {
		t.Fatal(err)
	}
	if !rule.conffiles["/etc/hello.conf"] || len(rule.conffiles) != 1 {
		t.Errorf("conffiles = %v", rule.conffiles)
	}
	data, err := exec.Command(dpkgDeb, "--fsys-tarfile", deb).Output()
	if err != nil || !bytes.Equal(data, plain.Bytes()) {
		t.Errorf("the plain tar is not the package's data.tar (%v)", err)
	}
	list := func(f string) []string {
		out, err := exec.Command("sh", "-c", dpkgDeb+" --fsys-tarfile "+f+" | tar -tv --numeric-owner").Output()
		if err != nil {
			t.Fatalf("listing %s: %v", f, err)
		}
		return strings.Split(strings.TrimSpace(string(out)), "\n")
	}
	orig, skel := list(deb), list(copyDeb)
	if len(orig) != len(skel) || !strings.Contains(strings.Join(skel, "\n"), long) {
		t.Fatalf("entries differ:\n%s\n---\n%s", strings.Join(orig, "\n"), strings.Join(skel, "\n"))
	}
	for i := range orig {
		o, s := strings.Fields(orig[i]), strings.Fields(skel[i])
		if o[0] != s[0] || o[1] != s[1] || o[len(o)-1] != s[len(s)-1] || s[2] != "0" && !strings.HasPrefix(o[0], "d") {
			t.Errorf("entry %d: %q, skeleton %q", i, orig[i], skel[i])
		}
	}
	for _, args := range [][]string{{"--ctrl-tarfile"}, {"--field"}} {
		want, err1 := exec.Command(dpkgDeb, append(args, deb)...).Output()
		got, err2 := exec.Command(dpkgDeb, append(args, copyDeb)...).Output()
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Errorf("dpkg-deb %v differs on the copy: %v %v", args, err1, err2)
		}
	}
}
