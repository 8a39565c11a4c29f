package debootstrap

import (
	"archive/tar"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func extractInto(t *testing.T, root string, entries []tar.Header, contents map[string]string) error {
	t.Helper()
	x, err := openExtractor(root)
	if err != nil {
		t.Fatal(err)
	}
	defer x.close()
	return x.extractTar(tarStream(t, entries, contents), nil)
}

func TestExtractRefusesEscapes(t *testing.T) {
	tests := []struct {
		name    string
		entries []tar.Header
		err     string
	}{
		{"dotdot name", []tar.Header{{Name: "./../../evil", Typeflag: tar.TypeReg}}, `name climbs out with ".."`},
		{"dotdot inside", []tar.Header{{Name: "./usr/../../evil", Typeflag: tar.TypeReg}}, `name climbs out with ".."`},
		{"hard link out", []tar.Header{{Name: "./passwd", Typeflag: tar.TypeLink, Linkname: "../../etc/passwd"}}, "hard link target"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			root := filepath.Join(parent, "root")
			os.Mkdir(root, 0o755)
			err := extractInto(t, root, tc.entries, nil)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want an error containing %q", err, tc.err)
			}
			if _, err := os.Lstat(filepath.Join(parent, "evil")); err == nil {
				t.Error("a file was written outside the root")
			}
		})
	}
}

// TestExtractSymlinkStaysInside plants symlinks pointing out of the root
// (absolute, and climbing with ..) and then writes through them: the
// writes land inside the root, as they would for dpkg in a chroot.
func TestExtractSymlinkStaysInside(t *testing.T) {
	outside := t.TempDir()
	root := t.TempDir()
	entries := []tar.Header{
		{Name: "." + outside + "/", Typeflag: tar.TypeDir, Mode: 0o755}, // same path inside
		{Name: "./abs", Typeflag: tar.TypeSymlink, Linkname: outside},
		{Name: "./abs/pwned", Typeflag: tar.TypeReg},
		{Name: "./rel", Typeflag: tar.TypeSymlink, Linkname: "../../../../../../" + outside},
		{Name: "./rel/pwned2", Typeflag: tar.TypeReg},
		{Name: "./etc/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "./etc/link", Typeflag: tar.TypeSymlink, Linkname: "/"},
		{Name: "./etc/link/top", Typeflag: tar.TypeReg},
		{Name: "./etc/hard", Typeflag: tar.TypeLink, Linkname: "./abs/pwned"},
	}
	contents := map[string]string{"./abs/pwned": "x", "./rel/pwned2": "y", "./etc/link/top": "z"}
	if err := extractInto(t, root, entries, contents); err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(outside)
	if len(left) != 0 {
		t.Fatalf("extraction wrote outside the root: %v", left)
	}
	for name, want := range map[string]string{
		outside + "/pwned": "x", outside + "/pwned2": "y", "top": "z", "etc/hard": "x",
	} {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || string(got) != want {
			t.Errorf("%s inside the root: %q %v, want %q", name, got, err, want)
		}
	}
}

// TestExtractDanglingSymlink writes through a symlink to a folder that
// exists on the host but not in the root: it fails, and nothing is
// written on the host.
func TestExtractDanglingSymlink(t *testing.T) {
	outside := t.TempDir()
	entries := []tar.Header{
		{Name: "./abs", Typeflag: tar.TypeSymlink, Linkname: outside},
		{Name: "./abs/pwned", Typeflag: tar.TypeReg},
	}
	if err := extractInto(t, t.TempDir(), entries, nil); err == nil {
		t.Error("writing through a dangling symlink succeeded")
	}
	if left, _ := os.ReadDir(outside); len(left) != 0 {
		t.Fatalf("extraction wrote outside the root: %v", left)
	}
}

// TestExtractMergedUsr keeps a /bin symlink and writes through it, as
// packages with files in /bin do on a merged-/usr root.
func TestExtractMergedUsr(t *testing.T) {
	root := t.TempDir()
	if err := setupMergedUsr(openRoot(t, root), "amd64"); err != nil {
		t.Fatal(err)
	}
	entries := []tar.Header{
		{Name: "./bin/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "./bin/sh", Typeflag: tar.TypeReg, Mode: 0o755},
	}
	if err := extractInto(t, root, entries, map[string]string{"./bin/sh": "#!"}); err != nil {
		t.Fatal(err)
	}
	if target, _ := os.Readlink(filepath.Join(root, "bin")); target != "usr/bin" {
		t.Errorf("/bin became %q", target)
	}
	if fi, err := os.Stat(filepath.Join(root, "usr/bin/sh")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("usr/bin/sh: %v %v", fi, err)
	}
}
