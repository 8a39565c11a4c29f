package stepcache

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// layerTree writes a layer folder with every kind of entry a layer holds:
// folders (one opaque), files with odd owners and set-id bits, a file
// capability, hard links, symlinks, a whiteout and a FIFO.
func layerTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"etc", "usr/bin", "usr/lib/x", "var/opaque"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	must(unix.Lsetxattr(filepath.Join(dir, "var/opaque"), "trusted.overlay.opaque", []byte("y"), 0))
	must(os.WriteFile(filepath.Join(dir, "etc/passwd"), []byte("root:x:0:0::/root:/bin/sh\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "etc/empty"), nil, 0o600))
	must(os.WriteFile(filepath.Join(dir, "usr/bin/su"), bytes.Repeat([]byte("su"), 300000), 0o755))
	must(os.Chown(filepath.Join(dir, "usr/bin/su"), 0, 42))
	must(os.Chmod(filepath.Join(dir, "usr/bin/su"), 0o4755|os.ModeSetuid|os.ModeSetgid))
	must(os.WriteFile(filepath.Join(dir, "usr/bin/ping"), []byte("ping"), 0o755))
	// cap_net_raw+ep, a version 2 capability.
	cap := []byte{0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	must(unix.Lsetxattr(filepath.Join(dir, "usr/bin/ping"), "security.capability", cap, 0))
	must(os.Link(filepath.Join(dir, "usr/bin/su"), filepath.Join(dir, "usr/lib/x/su-link")))
	must(os.WriteFile(filepath.Join(dir, "usr/lib/x/owned"), []byte("data"), 0o640))
	must(os.Lchown(filepath.Join(dir, "usr/lib/x/owned"), 1000, 100))
	must(os.Symlink("../bin/su", filepath.Join(dir, "usr/lib/x/su-sym")))
	must(os.Chmod(filepath.Join(dir, "usr/lib/x"), 0o1777))
	must(unix.Mknod(filepath.Join(dir, "etc/gone"), unix.S_IFCHR, 0))
	must(unix.Mkfifo(filepath.Join(dir, "var/fifo"), 0o600))
	return dir
}

// layerStream is the tar stream writeLayerTar makes of dir.
func layerStream(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := writeLayerTar(tw, dir); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRestoreComputesDigest restores a layer of every kind of entry and
// checks that the digest computed while restoring equals Digest of the
// source folder and of the restored one, so Commit need not read it again.
func TestRestoreComputesDigest(t *testing.T) {
	src := layerTree(t)
	want, wantSize, err := Digest(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	got, size, err := readLayerTar(tar.NewReader(bytes.NewReader(layerStream(t, src))), dst)
	if err != nil {
		t.Fatal(err)
	}
	if got != want || size != wantSize {
		t.Fatalf("digest while restoring %s (%d bytes), want Digest of the source %s (%d bytes)", got, size, want, wantSize)
	}
	if again, _, err := Digest(dst); err != nil || again != want {
		t.Fatalf("Digest of the restored folder %s (%v), want %s", again, err, want)
	}
}

// TestRestoreRefusesWhatDigestWouldNotMatch restores streams that differ
// from what writeLayerTar makes: entries out of Digest's order, and a file
// whose header asks for an owner the restore cannot give it. Both are
// refused, naming the entry.
func TestRestoreRefusesWhatDigestWouldNotMatch(t *testing.T) {
	for _, c := range []struct {
		name, want string
		entries    []tar.Header
	}{
		{"out of order", `"b" is out of order`, []tar.Header{
			{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755},
			{Name: "c", Typeflag: tar.TypeReg, Mode: 0o644},
			{Name: "b", Typeflag: tar.TypeReg, Mode: 0o644},
		}},
		{"twice", `"a" is out of order`, []tar.Header{
			{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755},
			{Name: "a/", Typeflag: tar.TypeDir, Mode: 0o755},
			{Name: "a/", Typeflag: tar.TypeDir, Mode: 0o700},
		}},
		{"owner not applied", "not as its header says", []tar.Header{
			{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755},
			{Name: "f", Typeflag: tar.TypeReg, Mode: 0o644, Uid: -1},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			tw := tar.NewWriter(&buf)
			for _, h := range c.entries {
				h.Format = tar.FormatPAX
				if err := tw.WriteHeader(&h); err != nil {
					t.Fatal(err)
				}
			}
			tw.Close()
			_, _, err := readLayerTar(tar.NewReader(&buf), t.TempDir())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("restoring: %v; want an error saying %s", err, c.want)
			}
		})
	}
}
