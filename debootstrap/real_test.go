package debootstrap

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

const debianMirror = "http://deb.debian.org/debian"

// testCache is the package cache the real tests share with every build.
func testCache() string { return cachedir.Default }

func realBootstrap(t *testing.T, arch string) (string, *Result) {
	t.Helper()
	return realBootstrapLog(t, arch, nil)
}

// realBootstrapLog is realBootstrap that also copies the log to log.
func realBootstrapLog(t *testing.T, arch string, log io.Writer) (string, *Result) {
	t.Helper()
	testenv.RequireRoot(t)
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	dir := filepath.Join(t.TempDir(), "root")
	var w io.Writer = testLog{t}
	if log != nil {
		w = io.MultiWriter(w, log)
	}
	res, err := Bootstrap(context.Background(), dir, Options{
		Distribution: "debian", Suite: "bookworm", Arch: arch, Variant: "minbase",
		Mirror: debianMirror, CacheDir: testCache(), Log: w,
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, res
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestBootstrapBookwormMinbase builds bookworm minbase for amd64 from the
// Debian mirror and checks it against debootstrap's own package list and
// dpkg's database.
func TestBootstrapBookwormMinbase(t *testing.T) {
	debootstrap := testenv.RequireTool(t, "debootstrap")
	dir, res := realBootstrap(t, "amd64")
	out, err := exec.Command(debootstrap, "--print-debs", "--variant=minbase", "bookworm", t.TempDir(), debianMirror).Output()
	if err != nil {
		t.Fatalf("debootstrap --print-debs: %v", err)
	}
	want := strings.Fields(string(out))
	slices.Sort(want)
	if !slices.Equal(res.Packages, want) {
		t.Errorf("package set differs from debootstrap's:\n got %v\nwant %v", res.Packages, want)
	}
	root, _ := chroot.Open(dir)
	audit, err := root.Output(context.Background(), "dpkg", "--audit")
	if err != nil || len(audit) != 0 {
		t.Errorf("dpkg --audit: %v: %s", err, audit)
	}
	if b, err := root.ReadFile("/etc/fstab"); err != nil || !strings.HasPrefix(string(b), "# UNCONFIGURED FSTAB") {
		t.Errorf("/etc/fstab, which dhclient-script reads: %q, %v", b, err)
	}
	status, err := root.Output(context.Background(), "dpkg-query", "-W", "-f", "${Package} ${db:Status-Abbrev}\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(status)), "\n") {
		if f := strings.Fields(l); len(f) != 2 || f[1] != "ii" {
			t.Errorf("package not installed cleanly: %q", l)
		}
	}
	if fi, err := os.Lstat(filepath.Join(dir, "dev/null")); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("/dev/null is not a device node, as debootstrap leaves it: %v %v", fi, err)
	}
	for _, d := range []string{"bin", "sbin", "lib", "lib64"} {
		if target, err := os.Readlink(filepath.Join(dir, d)); err != nil || target != "usr/"+d {
			t.Errorf("/%s is not a merged-/usr symlink: %q %v", d, target, err)
		}
	}
	// The sources and keyring written for the image work: apt verifies
	// the mirror's InRelease with them.
	undo, err := root.Prepare()
	if err != nil {
		t.Fatal(err)
	}
	defer undo()
	var aptOut strings.Builder
	err = root.Run(context.Background(), chroot.Cmd{Args: []string{"apt-get", "update"}, Stdout: &aptOut, Stderr: &aptOut})
	if err != nil || strings.Contains(aptOut.String(), "W: ") {
		t.Errorf("apt-get update in the root: %v\n%s", err, aptOut.String())
	}
}

// TestBootstrapArm64 builds bookworm minbase for arm64 through qemu-user
// registered in binfmt_misc, dpkg's helpers running as host tools, and
// checks that the root runs aarch64 binaries and holds no emulator and
// no host tool.
func TestBootstrapArm64(t *testing.T) {
	emulated := hostArch() != "arm64"
	if emulated {
		testenv.RequireTool(t, "qemu-aarch64-static")
	}
	var log strings.Builder
	dir, res := realBootstrapLog(t, "arm64", &log)
	if strings.Contains(log.String(), "as host tools") != emulated {
		t.Errorf("emulated %v, and the log says of host tools:\n%s", emulated, log.String())
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*/chrootbuild-tools")); len(leftovers) > 0 {
		t.Errorf("host tools left in the root: %v", leftovers)
	}
	if !slices.Contains(res.Packages, "libc6") {
		t.Errorf("packages: %v", res.Packages)
	}
	root, _ := chroot.Open(dir)
	out, err := root.Output(context.Background(), "uname", "-m")
	if err != nil || strings.TrimSpace(string(out)) != "aarch64" {
		t.Errorf("uname -m in the root: %q %v", out, err)
	}
	audit, err := root.Output(context.Background(), "dpkg", "--audit")
	if err != nil || len(audit) != 0 {
		t.Errorf("dpkg --audit: %v: %s", err, audit)
	}
	qemu, _ := filepath.Glob(filepath.Join(dir, "usr/bin/qemu-*"))
	if len(qemu) > 0 {
		t.Errorf("emulator copied into the root: %v", qemu)
	}
}

// TestResolveStandardMatchesDebootstrap resolves the standard variant
// (required and important) of bookworm from the Debian mirror and
// compares it with debootstrap's default variant, which is the same set.
func TestResolveStandardMatchesDebootstrap(t *testing.T) {
	debootstrap := testenv.RequireTool(t, "debootstrap")
	if testenv.Short() {
		t.Skip("reads the Debian mirror")
	}
	b, err := newBuilder(t.TempDir(), Options{Suite: "bookworm", Arch: "amd64", Variant: "standard", CacheDir: testCache()})
	if err != nil {
		t.Fatal(err)
	}
	keys, _, err := loadKeyring(b.dist, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.archive.openRelease(context.Background(), keys, io.Discard); err != nil {
		t.Fatal(err)
	}
	chosen, err := b.resolve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range chosen {
		got = append(got, p.Name)
	}
	out, err := exec.Command(debootstrap, "--print-debs", "bookworm", t.TempDir(), debianMirror).Output()
	if err != nil {
		t.Fatalf("debootstrap --print-debs: %v", err)
	}
	want := strings.Fields(string(out))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("standard differs from debootstrap's default variant:\n got %v\nwant %v", got, want)
	}
}
