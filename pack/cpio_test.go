package pack

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

var (
	xattrDesc = regexp.MustCompile(` [a-z]+\.[^= ]+=[0-9a-f]*`)
	mtimeDesc = regexp.MustCompile(` mtime=[0-9]+`)
)

// forCpio drops from a treeInfo what GNU cpio -i cannot restore: xattrs
// (newc has no room for them) and the mtimes of folders and symlinks.
func forCpio(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		v = xattrDesc.ReplaceAllString(v, "")
		if strings.HasPrefix(v, "mode=40") || strings.HasPrefix(v, "mode=120") {
			v = mtimeDesc.ReplaceAllString(v, "")
		}
		out[k] = v
	}
	return out
}

func TestCpioGNURoundTrip(t *testing.T) {
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "cpio")
	for _, comp := range []string{"none", "gzip", "zstd"} {
		t.Run(comp, func(t *testing.T) {
			root := synthRoot(t)
			out := t.TempDir()
			if err := (&Cpio{Path: "initrd.img", Compression: comp}).Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
				t.Fatal(err)
			}
			archive := filepath.Join(out, "initrd.img")
			if comp != "none" {
				tool := map[string]string{"gzip": "gzip", "zstd": "zstd"}[comp]
				testenv.RequireTool(t, tool)
				plain := filepath.Join(t.TempDir(), "initrd.cpio")
				if b, err := exec.Command("sh", "-c", tool+" -dc <"+archive+" >"+plain).CombinedOutput(); err != nil {
					t.Fatalf("%s -d: %v\n%s", tool, err, b)
				}
				archive = plain
			}
			list, err := exec.Command("sh", "-c", "cpio -t --quiet <"+archive).CombinedOutput()
			if err != nil {
				t.Fatalf("cpio -t: %v\n%s", err, list)
			}
			if !strings.HasPrefix(string(list), ".\nbig\nbin\nbin/ping\n") {
				t.Errorf("cpio -t lists, first:\n%.60s", list)
			}
			x := filepath.Join(t.TempDir(), "x")
			os.Mkdir(x, 0o755)
			cmd := exec.Command("sh", "-c", "cpio -i --quiet --make-directories --preserve-modification-time --no-absolute-filenames <"+archive)
			cmd.Dir = x
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("cpio -i: %v\n%s", err, b)
			}
			compareTrees(t, forCpio(treeInfo(t, root, false)), forCpio(treeInfo(t, x, false)))
		})
	}
}

func TestCpioReproducible(t *testing.T) {
	testenv.RequireRoot(t)
	root := synthRoot(t)
	out := t.TempDir()
	for _, name := range []string{"a.img", "b.img"} {
		if err := (&Cpio{Path: name, Compression: "gzip"}).Write(context.Background(), &Env{RootDir: root, OutDir: out}); err != nil {
			t.Fatal(err)
		}
	}
	sameBytes(t, filepath.Join(out, "a.img"), filepath.Join(out, "b.img"))
	// A copy of the root (other inode and device numbers) gives the same bytes.
	copyRoot := filepath.Join(t.TempDir(), "copy")
	if b, err := exec.Command("cp", "-a", root, copyRoot).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v\n%s", err, b)
	}
	if err := (&Cpio{Path: "c.img", Compression: "gzip"}).Write(context.Background(), &Env{RootDir: copyRoot, OutDir: out}); err != nil {
		t.Fatal(err)
	}
	sameBytes(t, filepath.Join(out, "a.img"), filepath.Join(out, "c.img"))
}
