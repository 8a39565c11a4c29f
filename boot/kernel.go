package boot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"

	"github.com/chrootbuild/chrootbuild/debootstrap"
)

// Kernel is a kernel, its initramfs and its modules, ready for QEMU.
type Kernel struct {
	Version string // uname -r
	Image   string // vmlinuz
	Initrd  string // initrd.img
	Modules string // the /lib/modules/VERSION folder
}

// kernelPackage is the distribution's kernel metapackage for an arch.
func kernelPackage(distribution, name string) string {
	if distribution == "ubuntu" {
		return "linux-image-virtual"
	}
	if a, err := arch.Lookup(name); err == nil && a.Kernel != "" {
		return a.Kernel
	}
	return "linux-image-" + name
}

// FetchKernel returns the distribution's kernel for suite and arch, with
// an initramfs made by the distribution's own initramfs-tools: it
// bootstraps a throw-away root holding the kernel package (so the package
// comes from the same verified, cached archive as every other) and keeps
// the kernel, initramfs and modules under cacheDir/boot.
func FetchKernel(ctx context.Context, distribution, suite, arch, mirror, cacheDir string, log func(string)) (*Kernel, error) {
	dir := filepath.Join(cacheDir, "boot", fmt.Sprintf("%s-%s-%s", distribution, suite, arch))
	if k, err := readKernel(dir); err == nil {
		return k, nil
	}
	log(fmt.Sprintf("fetching the %s %s kernel for %s (once; kept in %s)", distribution, suite, arch, dir))
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), ".kernel-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	root := filepath.Join(work, "root")
	opt := debootstrap.Options{
		Distribution: distribution, Suite: suite, Arch: arch, Variant: "minbase", Mirror: mirror,
		Include:  []string{kernelPackage(distribution, arch), "initramfs-tools", "zstd"},
		CacheDir: cacheDir,
	}
	if _, err := debootstrap.Bootstrap(ctx, root, opt); err != nil {
		return nil, fmt.Errorf("bootstrapping a root with the kernel: %w", err)
	}
	keep := filepath.Join(work, "keep")
	if err := collectKernel(root, keep); err != nil {
		return nil, err
	}
	os.RemoveAll(dir)
	if err := os.Rename(keep, dir); err != nil {
		return nil, fmt.Errorf("keeping the kernel in %s: %w", dir, err)
	}
	return readKernel(dir)
}

// collectKernel copies vmlinuz, initrd.img and the modules out of root.
func collectKernel(root, keep string) error {
	vmlinuz, _ := filepath.Glob(filepath.Join(root, "boot", "vmlinuz-*"))
	if len(vmlinuz) != 1 {
		return fmt.Errorf("finding the kernel in %s/boot: %d candidates", root, len(vmlinuz))
	}
	version := strings.TrimPrefix(filepath.Base(vmlinuz[0]), "vmlinuz-")
	initrd := filepath.Join(root, "boot", "initrd.img-"+version)
	if _, err := os.Stat(initrd); err != nil {
		return fmt.Errorf("finding the initramfs of %s: %w", version, err)
	}
	if err := os.MkdirAll(filepath.Join(keep, "modules"), 0o755); err != nil {
		return err
	}
	cmds := [][]string{
		{"cp", vmlinuz[0], filepath.Join(keep, "vmlinuz")},
		{"cp", initrd, filepath.Join(keep, "initrd.img")},
		{"cp", "-a", filepath.Join(root, "usr/lib/modules", version), filepath.Join(keep, "modules", version)},
	}
	for _, c := range cmds {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("copying the kernel out of its root (%s): %v: %s", strings.Join(c, " "), err, out)
		}
	}
	return os.WriteFile(filepath.Join(keep, "version"), []byte(version+"\n"), 0o644)
}

func readKernel(dir string) (*Kernel, error) {
	v, err := os.ReadFile(filepath.Join(dir, "version"))
	if err != nil {
		return nil, err
	}
	version := strings.TrimSpace(string(v))
	return &Kernel{
		Version: version,
		Image:   filepath.Join(dir, "vmlinuz"),
		Initrd:  filepath.Join(dir, "initrd.img"),
		Modules: filepath.Join(dir, "modules", version),
	}, nil
}
