package dpkg

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

const status = `Package: libc6
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Source: glibc
Version: 2.36-9+deb12u7
Description: GNU C Library
 Contains the standard libraries.

Package: dpkg
Status: install ok installed
Architecture: amd64
Version: 1.21.22
Maintainer: Dpkg Developers <debian-dpkg@lists.debian.org>

Package: gone
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: libfoo
Status: install ok installed
Architecture: i386
Source: foo (1.2-1)
Version: 1.2-1+b1

Package: tzdata
Status: install ok installed
Architecture: all
Multi-Arch: foreign
Version: 2024a-0+deb12u1
`

func TestParseStatus(t *testing.T) {
	pkgs, err := ParseStatus(strings.NewReader(status))
	if err != nil {
		t.Fatal(err)
	}
	native := NativeArch(pkgs)
	var got []string
	for _, p := range pkgs {
		got = append(got, p.BinaryName(native)+" "+p.Version+" "+p.Source+" "+p.SourceVer)
	}
	want := "dpkg 1.21.22 dpkg |libc6:amd64 2.36-9+deb12u7 glibc |libfoo:i386 1.2-1+b1 foo 1.2-1|tzdata 2024a-0+deb12u1 tzdata "
	if strings.Join(got, "|") != want {
		t.Errorf("got  %q\nwant %q", strings.Join(got, "|"), want)
	}
	if pkgs[1].Maintainer != "GNU Libc Maintainers <debian-glibc@lists.debian.org>" {
		t.Errorf("maintainer %q", pkgs[1].Maintainer)
	}
}

// TestCompareVersionsAsDpkg checks the order against dpkg --compare-versions.
func TestCompareVersionsAsDpkg(t *testing.T) {
	dpkg := testenv.RequireTool(t, "dpkg")
	pairs := [][2]string{{"1.0", "1.0-1"}, {"1:0.9", "2.0"}, {"1.0~rc1", "1.0"}, {"2.36-9+deb12u7", "2.36-9+deb12u10"}, {"1.2", "1.2"}, {"1.0a", "1.0+b1"}}
	for _, p := range pairs {
		got := CompareVersions(p[0], p[1])
		for op, holds := range map[string]bool{"lt": got < 0, "eq": got == 0, "gt": got > 0} {
			err := exec.Command(dpkg, "--compare-versions", p[0], op, p[1]).Run()
			if (err == nil) != holds {
				t.Errorf("%s %s %s: ours %d, dpkg disagrees", p[0], op, p[1], got)
			}
		}
	}
}

// TestReadRootStaysInRoot: a status that is an absolute symlink to a
// host file is resolved inside the root, so the host's file is not read.
func TestReadRootStaysInRoot(t *testing.T) {
	host := filepath.Join(t.TempDir(), "status")
	if err := os.WriteFile(host, []byte("Package: hostonly\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755)
	if err := os.Symlink(host, filepath.Join(root, StatusFile)); err != nil {
		t.Fatal(err)
	}
	pkgs, err := ReadRoot(root)
	if err == nil || len(pkgs) > 0 {
		t.Errorf("read %v, %v through the root's symlink to a host file", pkgs, err)
	}
}
