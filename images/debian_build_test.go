package images_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
)

// built is the official Debian image, built once per test run for amd64
// from the real mirror, with its rootfs.tar extracted.
type built struct {
	out  string // the build's output folder
	dir  string // rootfs.tar extracted
	root *chroot.Root
	err  error
}

var (
	debianOnce sync.Once
	debian     built
)

// buildImage builds the definition at path into a fresh folder under the
// test cache and extracts its rootfs.tar.
func buildImage(t *testing.T, path string, vars map[string]string) built {
	t.Helper()
	return buildImageWith(t, path, vars, func(img *hcl.Image, opt *builder.Options) {})
}

// buildImageWith builds like buildImage after letting adjust change the
// loaded image and the build options.
func buildImageWith(t *testing.T, path string, vars map[string]string, adjust func(*hcl.Image, *builder.Options)) built {
	t.Helper()
	var b built
	work, err := os.MkdirTemp(testroot.CacheDir(), "images-")
	if err != nil {
		return built{err: err}
	}
	b.out, b.dir = filepath.Join(work, "out"), filepath.Join(work, "root")
	img := load(t, path, vars)
	opt := builder.Options{OutDir: b.out, CacheDir: testroot.PackageCache, StepCache: filepath.Join(testroot.CacheDir(), "steps"), Log: &testLog{t: t}}
	adjust(img, &opt)
	if _, b.err = builder.Build(context.Background(), img, opt); b.err != nil {
		return b
	}
	if b.err = os.Mkdir(b.dir, 0o755); b.err != nil {
		return b
	}
	out, err := exec.Command("tar", "-C", b.dir, "--numeric-owner", "-xpf", filepath.Join(b.out, "rootfs.tar")).CombinedOutput()
	if err != nil {
		b.err = &tarError{err, string(out)}
		return b
	}
	b.root, b.err = chroot.Open(b.dir)
	return b
}

type tarError struct {
	err error
	out string
}

func (e *tarError) Error() string { return "extracting rootfs.tar: " + e.err.Error() + ": " + e.out }

// testLog sends the build's progress to the test log.
type testLog struct{ t *testing.T }

func (l *testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// debianImage returns the built Debian image, building it on first use.
// The work folder is removed when the test binary's cleanup runs.
func debianImage(t *testing.T) built {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireTool(t, "mksquashfs")
	if testenv.Short() {
		t.Skip("builds images/debian from the mirror")
	}
	debianOnce.Do(func() { debian = buildImage(t, "debian", map[string]string{"arch": "amd64"}) })
	if debian.err != nil {
		t.Fatalf("building images/debian: %v", debian.err)
	}
	return debian
}

// removeBuilt removes the work folders of the images built by this run.
func removeBuilt() {
	for _, b := range []built{debian, rescue} {
		if b.out == "" {
			continue
		}
		if err := os.RemoveAll(filepath.Dir(b.out)); err != nil {
			fmt.Fprintf(os.Stderr, "removing the built image: %v\n", err)
		}
	}
}

// suite is the Debian suite the image was built from, as its
// /etc/os-release says (VERSION_CODENAME).
func (b built) suite(t *testing.T) string {
	t.Helper()
	for _, l := range strings.Split(b.file(t, "etc/os-release"), "\n") {
		if v, ok := strings.CutPrefix(l, "VERSION_CODENAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	t.Fatal("/etc/os-release has no VERSION_CODENAME")
	return ""
}

// file reads a file of the built root.
func (b built) file(t *testing.T, name string) string {
	t.Helper()
	return readFile(t, filepath.Join(b.dir, name))
}

// run runs argv in the built root and returns stdout and stderr.
func (b built) run(t *testing.T, env []string, argv ...string) string {
	t.Helper()
	out, err := tryInRoot(b.root, env, argv...)
	if err != nil {
		t.Fatalf("%s in the image: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return out
}
