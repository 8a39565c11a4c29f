package debootstrap

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/aptrepotest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// TestUnpackDebCompressions unpacks real .debs made by dpkg-deb with
// Debian's xz and Ubuntu's zstd data archives.
func TestUnpackDebCompressions(t *testing.T) {
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	for _, z := range []string{"xz", "zstd", "gzip"} {
		t.Run(z, func(t *testing.T) {
			src := t.TempDir()
			aptrepotest.WriteFile(t, filepath.Join(src, "DEBIAN/control"), []byte("Package: hello\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: t\n"))
			aptrepotest.WriteFile(t, filepath.Join(src, "usr/share/hello/greeting"), []byte("hello "+z))
			os.Symlink("greeting", filepath.Join(src, "usr/share/hello/link"))
			deb := filepath.Join(t.TempDir(), "hello.deb")
			if out, err := exec.Command(dpkgDeb, "--root-owner-group", "-Z"+z, "--build", src, deb).CombinedOutput(); err != nil {
				t.Fatalf("dpkg-deb -Z%s: %v: %s", z, err, out)
			}
			root := t.TempDir()
			x, err := openExtractor(root)
			if err != nil {
				t.Fatal(err)
			}
			defer x.close()
			if err := x.unpackDeb(deb, "hello"); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(root, "usr/share/hello/link"))
			if err != nil || string(got) != "hello "+z {
				t.Errorf("unpacked link reads %q, %v", got, err)
			}
		})
	}
}

// TestUnpackRepack unpacks a .deb while writing its uncompressed copy,
// and checks with dpkg-deb that the copy holds the same control data and
// files.
func TestUnpackRepack(t *testing.T) {
	dpkgDeb := testenv.RequireTool(t, "dpkg-deb")
	src := t.TempDir()
	aptrepotest.WriteFile(t, filepath.Join(src, "DEBIAN/control"), []byte("Package: hello\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@example.invalid>\nDescription: t\n"))
	aptrepotest.WriteFile(t, filepath.Join(src, "DEBIAN/postinst"), []byte("#!/bin/sh\nexit 0\n"))
	os.Chmod(filepath.Join(src, "DEBIAN/postinst"), 0o755)
	aptrepotest.WriteFile(t, filepath.Join(src, "usr/share/hello/odd"), []byte("odd size"))
	deb := filepath.Join(t.TempDir(), "hello.deb")
	if out, err := exec.Command(dpkgDeb, "--root-owner-group", "-Zxz", "--build", src, deb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb: %v: %s", err, out)
	}
	saved := hostXZ
	defer func() { hostXZ = saved }()
	for _, decoder := range []string{"host xz", "Go"} {
		t.Run(decoder, func(t *testing.T) {
			if decoder == "Go" {
				hostXZ = func() string { return "" }
			}
			root := t.TempDir()
			x, err := openExtractor(root)
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
			if err := x.unpackRepack(deb, "hello", out, repackHow{extract: true}); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(filepath.Join(root, "usr/share/hello/odd")); string(got) != "odd size" {
				t.Errorf("unpacked file reads %q", got)
			}
			for _, args := range [][]string{{"--fsys-tarfile"}, {"--ctrl-tarfile"}, {"--field"}} {
				want, err1 := exec.Command(dpkgDeb, append(args, deb)...).Output()
				got, err2 := exec.Command(dpkgDeb, append(args, copyDeb)...).Output()
				if err1 != nil || err2 != nil || string(got) != string(want) {
					t.Errorf("dpkg-deb %v differs on the copy: %v %v", args, err1, err2)
				}
			}
		})
	}
}
