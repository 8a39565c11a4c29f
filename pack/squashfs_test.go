package pack

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"golang.org/x/sys/unix"
)

var mtimeRE = regexp.MustCompile(`mtime=\d+`)

// writeSquashfs packs root with the output kind and returns the image path.
func writeSquashfs(t *testing.T, root, out, name, comp string, level int) string {
	t.Helper()
	o := &Squashfs{Path: name, Compression: comp, Level: level}
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	if err := o.Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, name)
}

func TestSquashfsUnsquashfs(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "unsquashfs")
	for _, tc := range []struct {
		comp  string
		level int
		epoch string
	}{{"none", 0, ""}, {"gzip", 1, ""}, {"xz", 0, "1500000000"}, {"zstd", 3, "1500000000"}, {"lz4", 0, ""}} {
		t.Run(tc.comp, func(t *testing.T) {
			if tc.epoch != "" {
				t.Setenv("SOURCE_DATE_EPOCH", tc.epoch)
			}
			root := synthRoot(t)
			out := t.TempDir()
			img := writeSquashfs(t, root, out, "rootfs.sqsh", tc.comp, tc.level)
			list, err := exec.Command("unsquashfs", "-s", img).CombinedOutput()
			if err != nil {
				t.Fatalf("unsquashfs -s: %v\n%s", err, list)
			}
			wantComp := map[string]string{"none": "gzip", "gzip": "gzip", "xz": "xz", "zstd": "zstd", "lz4": "lz4"}[tc.comp]
			if !strings.Contains(string(list), "Compression "+wantComp) {
				t.Errorf("unsquashfs -s does not say Compression %s:\n%s", wantComp, list)
			}
			if tc.comp == "none" && !strings.Contains(string(list), "Data is uncompressed") {
				t.Errorf("compression none left data compressed:\n%s", list)
			}
			x := filepath.Join(t.TempDir(), "x")
			if out, err := exec.Command("unsquashfs", "-d", x, img).CombinedOutput(); err != nil {
				t.Fatalf("unsquashfs: %v\n%s", err, out)
			}
			want := treeInfo(t, root, false)
			if tc.epoch != "" {
				// -all-time: every timestamp is SOURCE_DATE_EPOCH, the
				// root folder's too.
				for k, v := range want {
					want[k] = mtimeRE.ReplaceAllString(v, "mtime="+tc.epoch)
				}
				var st unix.Stat_t
				if err := unix.Stat(x, &st); err != nil || strconv.FormatInt(int64(st.Mtim.Sec), 10) != tc.epoch {
					t.Errorf("root folder mtime %d, want %s (%v)", st.Mtim.Sec, tc.epoch, err)
				}
			}
			compareTrees(t, want, treeInfo(t, x, false))
		})
	}
}

// tarOf writes root as a tar (with the current SOURCE_DATE_EPOCH) and
// returns its path.
func tarOf(t *testing.T, root string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "root.tar")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := WriteTar(context.Background(), root, f, TarOptions{}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSquashfsReproducible(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mksquashfs")
	root := synthRoot(t)
	for _, epoch := range []string{"", "1600000000"} {
		t.Setenv("SOURCE_DATE_EPOCH", epoch)
		out := t.TempDir()
		a := writeSquashfs(t, root, out, "a.sqsh", "zstd", 0)
		b := writeSquashfs(t, root, out, "b.sqsh", "zstd", 0)
		sameBytes(t, a, b)
	}
}

func TestSquashfsKernelMount(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mount")
	root := synthRoot(t)
	img := writeSquashfs(t, root, t.TempDir(), "rootfs.sqsh", "zstd", 0)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "squashfs", "-o", "loop,ro", img, mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v\n%s", err, out)
		}
	})
	compareTrees(t, treeInfo(t, root, false), treeInfo(t, mnt, false))
}
