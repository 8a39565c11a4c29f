package debootstrap

import (
	"archive/tar"
	"os"
	"path/filepath"
	"testing"
)

// TestUnpackRulePlacesLikeDpkg extracts two packages' entries with the
// fast install's rules: conffiles land as .dpkg-new (and, for the
// essential set, under their name too), a diverted path under its new
// name, and a folder keeps the mode of the first package in install
// order whichever is unpacked first, or its own when it was there before.
func TestUnpackRulePlacesLikeDpkg(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "old"), 0o750); err != nil {
		t.Fatal(err)
	}
	x, err := openExtractor(root)
	if err != nil {
		t.Fatal(err)
	}
	defer x.close()
	dirs := newDirClaims()
	second := &unpackRule{index: 2, dirs: dirs, conffiles: map[string]bool{"/etc/b.conf": true},
		diverted: map[string]string{"/usr/bin/tool": "/usr/bin/tool.real"}}
	first := &unpackRule{index: 1, dirs: dirs, keepBoth: true, conffiles: map[string]bool{"/etc/a.conf": true}}
	entries := func(mode int64, conf string) []tar.Header {
		return []tar.Header{
			{Name: "./etc/", Typeflag: tar.TypeDir, Mode: 0o755},
			{Name: "./etc/" + conf, Typeflag: tar.TypeReg, Mode: 0o644, Size: 4},
			{Name: "./shared/", Typeflag: tar.TypeDir, Mode: mode},
			{Name: "./old/", Typeflag: tar.TypeDir, Mode: 0o755},
			{Name: "./usr/bin/tool", Typeflag: tar.TypeReg, Mode: 0o755, Size: 4},
		}
	}
	contents := map[string]string{"./etc/a.conf": "aaa\n", "./etc/b.conf": "bbb\n", "./usr/bin/tool": "bin\n"}
	// The later package is unpacked first, as a parallel unpack may.
	if err := x.extractTar(tarStream(t, entries(0o700, "b.conf"), contents), second); err != nil {
		t.Fatal(err)
	}
	if err := x.extractTar(tarStream(t, entries(0o2775, "a.conf"), contents), first); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"etc/a.conf": "aaa\n", "etc/a.conf.dpkg-new": "aaa\n",
		"etc/b.conf.dpkg-new": "bbb\n", "usr/bin/tool.real": "bin\n", "usr/bin/tool": "bin\n"} {
		if got, err := os.ReadFile(filepath.Join(root, name)); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "etc/b.conf")); !os.IsNotExist(err) {
		t.Errorf("etc/b.conf exists before configure: %v", err)
	}
	for name, want := range map[string]os.FileMode{"shared": 0o775 | os.ModeSetgid, "old": 0o750} {
		fi, err := os.Stat(filepath.Join(root, name))
		if err != nil || fi.Mode().Perm()|fi.Mode()&os.ModeSetgid != want {
			t.Errorf("%s: mode %v, want %v (%v)", name, fi.Mode(), want, err)
		}
	}
}

// TestDpkgLinesCountPackages feeds dpkg's output in odd pieces and checks
// every "Setting up" line counts its package once.
func TestDpkgLinesCountPackages(t *testing.T) {
	var got []string
	p := newPhaseProgress(nil, func(pr Progress) { got = append(got, pr.Package) }, 2)
	p.log = discardLog{}
	w := p.lines("Setting up ", "configured")
	for _, piece := range []string{"Setting up a", "pt (2.6.1) ...\nsome script out", "put\nSetting up libc6:amd64 (2.36) ...\n"} {
		w.Write([]byte(piece))
	}
	if len(got) != 2 || got[0] != "apt" || got[1] != "libc6:amd64" {
		t.Errorf("counted %v", got)
	}
	if p.counts["configured"] != 2 {
		t.Errorf("count = %d", p.counts["configured"])
	}
}

type discardLog struct{}

func (discardLog) Write(b []byte) (int, error) { return len(b), nil }

// TestParseConffilesFlags reads conffiles as trixie's procps ships it: a
// remove-on-upgrade line names a file the package does not ship, so it is
// no conffile to write; an unknown flag or a relative path is refused.
func TestParseConffilesFlags(t *testing.T) {
	got, err := parseConffiles([]byte("/etc/init.d/procps\nremove-on-upgrade /etc/sysctl.conf\n\n/etc/sysctl.d/README.sysctl\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got["/etc/init.d/procps"] || !got["/etc/sysctl.d/README.sysctl"] || got["/etc/sysctl.conf"] {
		t.Errorf("parseConffiles = %v", got)
	}
	for _, bad := range []string{"etc/x\n", "keep-forever /etc/x\n", "remove-on-upgrade remove-on-upgrade /etc/x\n"} {
		if _, err := parseConffiles([]byte(bad)); err == nil {
			t.Errorf("parseConffiles(%q) accepted it", bad)
		}
	}
}
