package boot_test

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/chrootbuild/chrootbuild/boot"
)

// armBuilderDefinition writes the VM's definition beside a linux/arm64
// static chrootbuild: images/debian plus the binary and the small image.
func armBuilderDefinition(t *testing.T) string {
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, "chrootbuild"), "../cmd/chrootbuild")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the linux/arm64 chrootbuild: %v\n%s", err, out)
	}
	small, err := os.ReadFile("testdata/arm-small/image.hcl")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "small.def"), small, 0o644) // not *.hcl: not part of this folder's definition
	debian, _ := filepath.Abs("../images/debian")
	from, _ := filepath.Rel(dir, debian)
	hcl := fmt.Sprintf(`variable "arch" {
  default = "arm64"
}

image "arm-builder" {
  from = %q
  provision "file" {
    path   = "/usr/local/bin/chrootbuild"
    source = "chrootbuild"
    mode   = "0755"
  }
  provision "file" {
    path   = "/root/small/image.hcl"
    source = "small.def"
  }
  output "tar" { path = "rootfs.tar" }
}
`, from)
	os.WriteFile(filepath.Join(dir, "image.hcl"), []byte(hcl), 0o644)
	return dir
}

// buildInGuest is point 3 of building on an ARM host: in the arm64 VM,
// with no binfmt handler and no qemu-user, it builds the small image
// natively for arm64, and for armhf in the CPU's 32-bit mode, side by side
// (one per vCPU), from the mirror as the guest reaches it (the host's
// proxy: the VM's network is otherwise restricted); both roots must pass
// dpkg --audit, and both tars are copied to back.
func buildInGuest(ctx context.Context, t *testing.T, g *boot.Guest, back string) error {
	var probe strings.Builder
	g.Run(ctx, nil, &probe, "sh", "-c", "uname -m; ls /proc/sys/fs/binfmt_misc/; command -v qemu-aarch64-static qemu-arm-static qemu-aarch64 qemu-arm || true")
	t.Logf("guest: %s", probe.String())
	if strings.Contains(probe.String(), "qemu") {
		return fmt.Errorf("the guest has an emulator: %s", probe.String())
	}
	var eg errgroup.Group
	for _, a := range []string{"arm64", "armhf"} {
		eg.Go(func() error { return buildOneInGuest(ctx, t, g, a, back) })
	}
	return eg.Wait()
}

// buildOneInGuest builds the small image for debArch in the guest, checks
// its root there and brings its tar back as back/debArch.tar.
func buildOneInGuest(ctx context.Context, t *testing.T, g *boot.Guest, a, back string) error {
	var log strings.Builder
	start := time.Now()
	err := g.Run(ctx, nil, &log, "sh", "-c", fmt.Sprintf(
		"chrootbuild build --step-cache off --var arch=%s --var mirror=%s --out /root/out-%[1]s /root/small 2>&1 && "+
			"mkdir -p /root/r-%[1]s && tar -C /root/r-%[1]s -xf /root/out-%[1]s/rootfs.tar && chroot /root/r-%[1]s dpkg --audit", a, g.Mirror))
	t.Logf("native %s build in the arm64 VM: %.1fs\n%s", a, time.Since(start).Seconds(), tailLines(log.String(), 15))
	if err != nil {
		return fmt.Errorf("building %s in the guest: %w", a, err)
	}
	if strings.Contains(log.String(), "in binfmt_misc") || (a == "armhf" && !strings.Contains(log.String(), "32-bit mode")) {
		return fmt.Errorf("the %s build did not run natively: %s", a, tailLines(log.String(), 15))
	}
	f, err := os.Create(filepath.Join(back, a+".tar"))
	if err != nil {
		return err
	}
	defer f.Close()
	return g.Run(ctx, nil, f, "cat", "/root/out-"+a+"/rootfs.tar")
}

// checkBroughtBack reads a tar the guest built: dpkg's architecture, the
// machine the build's commands saw and the typed steps' files.
func checkBroughtBack(t *testing.T, name, debArch, machine string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	files := map[string]string{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		n := strings.TrimPrefix(h.Name, "./")
		if n == "etc/build-machine" || n == "etc/motd" || n == "var/lib/dpkg/arch" || n == "srv/data/" {
			b, _ := io.ReadAll(tr)
			files[n] = strings.TrimSpace(string(b))
		}
		if n == "var/lib/dpkg/status" {
			b, _ := io.ReadAll(tr)
			files[n] = string(b)
		}
	}
	if files["etc/build-machine"] != machine {
		t.Errorf("%s: the build saw uname -m %q, want %q", name, files["etc/build-machine"], machine)
	}
	if !strings.Contains(files["etc/motd"], "built on an ARM host") {
		t.Errorf("%s: /etc/motd is %q", name, files["etc/motd"])
	}
	if !strings.Contains(files["var/lib/dpkg/status"], "Package: dpkg\n") || !strings.Contains(files["var/lib/dpkg/status"], "Architecture: "+debArch+"\n") {
		t.Errorf("%s: dpkg's status does not show %s packages", name, debArch)
	}
}
