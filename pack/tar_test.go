package pack

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// gnuExtract extracts archive into a new folder with GNU tar, restoring
// owners, modes and xattrs, and returns the folder.
func gnuExtract(t *testing.T, archive string, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "x")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-C", dir, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", archive}, extra...)
	if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
		t.Fatalf("tar %v: %v\n%s", args, err, out)
	}
	return dir
}

func TestTarGNURoundTrip(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "tar")
	for _, comp := range []string{"none", "gzip", "zstd", "xz"} {
		t.Run(comp, func(t *testing.T) {
			testenv.RequireTool(t, map[string]string{"none": "tar", "gzip": "gzip", "zstd": "zstd", "xz": "xz"}[comp])
			root := synthRoot(t)
			out := t.TempDir()
			o := &Tar{Path: "rootfs.tar", Compression: comp}
			if err := o.Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
				t.Fatal(err)
			}
			archive := filepath.Join(out, "rootfs.tar")
			got := gnuExtract(t, archive)
			compareTrees(t, treeInfo(t, root, true), treeInfo(t, got, true))
			cmd := exec.Command("sha256sum", "-c", "rootfs.tar.sha256")
			cmd.Dir = out
			sha, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("sha256sum -c: %v: %s", err, sha)
			}
			// The output folder holds the archive and its checksum, nothing else.
			if ents, _ := os.ReadDir(out); len(ents) != 2 {
				t.Fatalf("output folder holds %d entries, want 2", len(ents))
			}
		})
	}
}

func TestTarGNUList(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "tar")
	root := synthRoot(t)
	archive := filepath.Join(t.TempDir(), "r.tar")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteTar(context.Background(), root, f, TarOptions{}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command("tar", "--numeric-owner", "-tvf", archive).CombinedOutput()
	if err != nil {
		t.Fatalf("tar -tvf: %v\n%s", err, out)
	}
	list := string(out)
	for _, want := range []string{
		"drwxr-xr-x 0/0", "./bin/ping4 link to ./bin/ping", "-rwsr-xr-x 0/0", "./usr/su -> ../bin/su",
		"crw-rw-rw- 0/0             1,3", "brw-rw---- 0/0             7,9", "prw------- 0/0", "-rw-r--r-- 1000/1000",
		"2020-01-02 03:04 ./etc/hostname",
	} {
		if !strings.Contains(list, want) {
			t.Errorf("tar -tvf lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "sock") {
		t.Errorf("tar -tvf lists the socket:\n%s", list)
	}
	names := []string{}
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		fields := strings.Fields(l)
		names = append(names, fields[5])
	}
	if names[0] != "./" || names[1] != "./big" || names[2] != "./bin/" {
		t.Errorf("archive does not start ./, ./big, ./bin/: %v", names[:3])
	}
}

func TestTarReproducible(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	t.Setenv("SOURCE_DATE_EPOCH", "1500000000")
	out := t.TempDir()
	for _, name := range []string{"a.tar.zst", "b.tar.zst"} {
		if err := (&Tar{Path: name, Compression: "zstd"}).Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
			t.Fatal(err)
		}
	}
	sameBytes(t, filepath.Join(out, "a.tar.zst"), filepath.Join(out, "b.tar.zst"))
	// mtimes after SOURCE_DATE_EPOCH are clamped to it; older ones are kept.
	got := gnuExtract(t, filepath.Join(out, "a.tar.zst"))
	fi, err := os.Stat(filepath.Join(got, "etc/hostname"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.ModTime().Unix() != 1500000000 {
		t.Errorf("etc/hostname mtime = %d, want clamped to 1500000000", fi.ModTime().Unix())
	}
}
