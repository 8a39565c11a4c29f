package images_test

import (
	"archive/tar"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// modulesTar is a modules.tar as the kernel mirror serves it.
func modulesTar(t *testing.T, release string) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	base := "lib/modules/" + release + "/"
	for _, d := range []string{"lib/", "lib/modules/", base, base + "kernel/"} {
		tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755})
	}
	for name, body := range map[string]string{base + "modules.order": "", base + "modules.builtin": "kernel/fs/ext4/ext4.ko\n", base + "modules.builtin.modinfo": ""} {
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mirror(t *testing.T, path string, body []byte) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// TestSyncKernelModules fetches a modules tree with the real depmod.
func TestSyncKernelModules(t *testing.T) {
	testenv.RequireTool(t, "depmod")
	const rel = "6.1.0-test"
	url, _ := mirror(t, "/x86_64/"+rel+"/modules.tar", modulesTar(t, rel))
	root := t.TempDir()
	env := shEnv(t, "", "ROOT="+root, "KERNEL_MODULES_MIRROR="+url, "KERNEL_RELEASE="+rel, "KERNEL_ARCH=x86_64")
	mustRun(t, env, helper("oc-sync-kernel-modules"))
	dir := filepath.Join(root, "lib/modules", rel)
	// modules.dep is written by depmod, not shipped in the tar.
	for _, f := range []string{"modules.builtin", "modules.dep", "modules.dep.bin"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("after the sync: %v", err)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, "lib/modules/.oc-sync*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary folders left: %v", leftovers)
	}
}

func TestSyncKernelModulesPresentOrMissing(t *testing.T) {
	const rel = "6.1.0-test"
	url, n := mirror(t, "/x86_64/"+rel+"/modules.tar", modulesTar(t, rel))
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "lib/modules", rel), 0o755); err != nil {
		t.Fatal(err)
	}
	env := shEnv(t, "", "ROOT="+root, "KERNEL_MODULES_MIRROR="+url, "KERNEL_RELEASE="+rel, "KERNEL_ARCH=x86_64")
	mustRun(t, env, helper("oc-sync-kernel-modules"))
	if n.Load() != 0 {
		t.Errorf("fetched although the modules were present")
	}
	// A release the mirror lacks: an error, and nothing left in place.
	env = shEnv(t, "", "ROOT="+root, "KERNEL_MODULES_MIRROR="+url, "KERNEL_RELEASE=9.9.9", "KERNEL_ARCH=x86_64")
	if _, err := runSh(t, env, helper("oc-sync-kernel-modules")); err == nil {
		t.Error("a missing modules.tar did not fail")
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "lib/modules")); len(entries) != 1 {
		t.Errorf("lib/modules holds %v", entries)
	}
}
