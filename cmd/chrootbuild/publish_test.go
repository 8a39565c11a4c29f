package main

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/chrootbuild/chrootbuild/internal/registrytest"
	"github.com/chrootbuild/chrootbuild/internal/s3test"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func TestPublishCLI(t *testing.T) {
	s := s3test.Start(t, "images")
	file := filepath.Join(t.TempDir(), "rootfs.tar")
	data := make([]byte, 70000)
	rand.Read(data)
	os.WriteFile(file, data, 0o644)
	if code, _, _ := runCLI("publish", file); code != exitUsage {
		t.Errorf("publish without a destination: exit %d, want %d", code, exitUsage)
	}
	code, out, errs := runCLI("publish", "--endpoint", s.Endpoint, "--name", "debian", "--version", "12", "--latest", file, "s3://images/v/")
	if code != exitOK || !strings.Contains(out, "s3://images/v/debian-12.tar") {
		t.Fatalf("publish: exit %d\n%s%s", code, out, errs)
	}
	if got := s.Get(t, "images", "v/debian-latest.tar"); !bytes.Equal(got, data) {
		t.Error("v/debian-latest.tar differs from the file")
	}
	s3test.SetEnv(t, s3test.Access, "not-the-secret-7f3a")
	code, _, errs = runCLI("publish", "--endpoint", s.Endpoint, file, "s3://images/")
	if code != exitFail || !strings.Contains(errs, "credentials refused") || strings.Contains(errs, "not-the-secret-7f3a") {
		t.Errorf("wrong secret: exit %d, stderr %q", code, errs)
	}
}

// writeRootTar writes a tiny root tar that says it is amd64.
func writeRootTar(t *testing.T, file string) {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	status := "Package: dpkg\nArchitecture: amd64\n\n"
	for _, h := range []*tar.Header{
		{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "./etc/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "./etc/hostname", Typeflag: tar.TypeReg, Mode: 0o644, Size: 7},
		{Name: "./var/lib/dpkg/status", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(status))},
	} {
		tw.WriteHeader(h)
		switch h.Name {
		case "./etc/hostname":
			tw.Write([]byte("server\n"))
		case "./var/lib/dpkg/status":
			tw.Write([]byte(status))
		}
	}
	tw.Close()
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReleaseCLI(t *testing.T) {
	r := registrytest.Start(t, "", "")
	file := filepath.Join(t.TempDir(), "rootfs.tar")
	writeRootTar(t, file)
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	if code, _, _ := runCLI("release", file); code != exitUsage {
		t.Errorf("release without a reference: exit %d", code)
	}
	cache := "--layer-cache=" + t.TempDir()
	code, out, errs := runCLI("release", "--insecure", cache, "--tag", "stable", file, r.Addr+"/ns/debian:12")
	if code != exitOK || !strings.Contains(out, "linux/amd64") {
		t.Fatalf("release: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI("release", "--insecure", cache, file, r.Addr+"/ns/debian"); code != exitFail || !strings.Contains(errs, "name the version tag") {
		t.Errorf("release without a tag: exit %d, %s", code, errs)
	}
}

// imageTools lays out image-tools.mk and the debian image folder's Makefile
// in a temporary tree, with this test binary as chrootbuild.
func imageTools(t *testing.T) (dir, bin string) {
	t.Helper()
	testenv.RequireTool(t, "make")
	root := t.TempDir()
	self, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(root, "chrootbuild")
	must(t, os.WriteFile(bin, self, 0o755))
	mk, err := os.ReadFile("../../image-tools.mk")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(root, "image-tools.mk"), mk, 0o644))
	copyTree(t, "../../images/debian", filepath.Join(root, "images/debian"))
	return filepath.Join(root, "images/debian"), bin
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// make runs make in dir with this test binary acting as chrootbuild.
func runMake(t *testing.T, dir, bin string, args ...string) (string, error) {
	cmd := exec.Command("make", append([]string{"-C", dir, "CHROOTBUILD=" + bin}, args...)...)
	cmd.Env = append(os.Environ(), "CHROOTBUILD_TEST_AS_MAIN=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestImageToolsDryRun checks the command each original target runs.
func TestImageToolsDryRun(t *testing.T) {
	dir, bin := imageTools(t)
	vars := []string{"DOCKER_INSECURE=1", "S3_URL=s3://images/debian/", "S3_ENDPOINT=http://127.0.0.1:9", "DOCKER_NAMESPACE=reg.example/ns",
		"IS_LATEST=1", "VERSION_ALIASES=13 stable", "DISK=/dev/nbd3"}
	for target, want := range map[string][]string{
		"rootfs":             {bin + " build --out " + dir + "  .chrootbuild/rootfs.hcl"},
		"rootfs.tar":         {" build ", bin + " pack --format tar rootfs rootfs.tar"},
		"rootfs.sqsh":        {" build ", bin + " pack --format squashfs rootfs rootfs.sqsh"},
		"publish_on_s3.tar":  {"pack --format tar", bin + " publish  --endpoint http://127.0.0.1:9", "--name debian --version trixie", "--latest --public", "rootfs.tar s3://images/debian/"},
		"publish_on_s3.sqsh": {"pack --format squashfs", "rootfs.sqsh s3://images/debian/"},
		"install_on_disk":    {bin + " install  rootfs.tar /dev/nbd3"},
		"release":            {bin + " release  --insecure", "--latest --tag 13 --tag stable", "--name debian rootfs.tar reg.example/ns/debian:trixie"},
		"clean":              {"rm -rf rootfs rootfs.tar", bin + " clean"},
	} {
		out, err := runMake(t, dir, bin, append([]string{"-n", target}, vars...)...)
		if err != nil {
			t.Errorf("make -n %s: %v\n%s", target, err, out)
			continue
		}
		flat := strings.ReplaceAll(out, "\\\n\t", "")
		for _, w := range want {
			if !strings.Contains(flat, w) {
				t.Errorf("make -n %s does not run %q:\n%s", target, w, out)
			}
		}
	}
	for target, want := range map[string]string{"publish_on_s3.tar": "set S3_URL", "release": "set DOCKER_NAMESPACE"} {
		out, err := runMake(t, dir, bin, target)
		if err == nil || !strings.Contains(out, want) || strings.Contains(out, " build ") {
			t.Errorf("make %s without its destination: %v\n%s", target, err, out)
		}
	}
}

// TestImageFolderMakefiles checks each official image folder's Makefile
// includes the rules with its own name and version.
func TestImageFolderMakefiles(t *testing.T) {
	testenv.RequireTool(t, "make")
	for img, version := range map[string]string{"debian": "trixie", "ubuntu": "noble", "rescue": "trixie"} {
		out, err := exec.Command("make", "-n", "-C", "../../images/"+img, "publish_on_s3.sqsh", "S3_URL=s3://b/", "CHROOTBUILD=cb").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--name "+img+" --version "+version) {
			t.Errorf("images/%s/Makefile: %v\n%s", img, err, out)
		}
	}
}

// prebuilt makes rootfs and rootfs.tar newer than the definition, as a
// finished `make rootfs.tar` leaves them, so make only publishes.
func prebuilt(t *testing.T, dir string) string {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"image.hcl"} {
		must(t, os.Chtimes(filepath.Join(dir, f), old, old))
	}
	must(t, os.Mkdir(filepath.Join(dir, "rootfs"), 0o755))
	tarFile := filepath.Join(dir, "rootfs.tar")
	writeRootTar(t, tarFile)
	return tarFile
}

func TestImageToolsPublishOnS3(t *testing.T) {
	s := s3test.Start(t, "images")
	dir, bin := imageTools(t)
	tarFile := prebuilt(t, dir)
	out, err := runMake(t, dir, bin, "publish_on_s3.tar", "S3_URL=s3://images/official/", "S3_ENDPOINT="+s.Endpoint, "IS_LATEST=1")
	if err != nil {
		t.Fatalf("make publish_on_s3.tar: %v\n%s", err, out)
	}
	want, _ := os.ReadFile(tarFile)
	for _, key := range []string{"official/debian-trixie.tar", "official/debian-latest.tar"} {
		if got := s.Get(t, "images", key); !bytes.Equal(got, want) {
			t.Errorf("%s differs from rootfs.tar", key)
		}
	}
}

func TestImageToolsRelease(t *testing.T) {
	r := registrytest.Start(t, "", "")
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	t.Setenv("SOURCE_DATE_EPOCH", "1717200000") // 2024-06-01
	dir, bin := imageTools(t)
	prebuilt(t, dir)
	out, err := runMake(t, dir, bin, "release", "DOCKER_NAMESPACE="+r.Addr+"/official", "DOCKER_INSECURE=1", "IS_LATEST=1", "VERSION_ALIASES=13",
		"RELEASE_FLAGS=--layer-cache="+t.TempDir())
	if err != nil {
		t.Fatalf("make release: %v\n%s", err, out)
	}
	repo, _ := name.NewRepository(r.Addr+"/official/debian", name.Insecure)
	tags, err := remote.List(repo)
	must(t, err)
	for _, want := range []string{"trixie", "13", "latest", "2024-06-01"} {
		if !slices.Contains(tags, want) {
			t.Errorf("tags %v lack %s", tags, want)
		}
	}
}
