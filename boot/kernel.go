package boot

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"

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

// kernelCacheVersion names how the cached kernels were made: a change that
// makes a different initramfs bumps it, so that no kernel of the older
// way is booted (v2: the unpacked root, and for armhf the tmpfs, without
// which its initramfs lacked the block drivers).
const kernelCacheVersion = "v2"

// FetchKernel returns the distribution's kernel for suite and arch, with
// an initramfs made by the distribution's own initramfs-tools: it unpacks
// the kernel, initramfs-tools and their dependencies into a throw-away
// root (so the packages come from the same verified, cached archive as
// every other; no maintainer script runs), and keeps the kernel,
// initramfs and modules under cacheDir/boot.
func FetchKernel(ctx context.Context, distribution, suite, arch, mirror, cacheDir string, log func(string)) (*Kernel, error) {
	dir := filepath.Join(cachedir.Dir(cacheDir).Boot(), fmt.Sprintf("%s-%s-%s.%s", distribution, suite, arch, kernelCacheVersion))
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
	unmount, err := kernelRootFS(work, arch)
	if err != nil {
		return nil, err
	}
	defer unmount()
	root := filepath.Join(work, "root")
	opt := debootstrap.Options{
		Distribution: distribution, Suite: suite, Arch: arch, Variant: "essential", Mirror: mirror,
		Include:  []string{kernelPackage(distribution, arch), "initramfs-tools", "zstd", "e2fsprogs"}, // e2fsprogs: fsck in the initramfs
		CacheDir: cacheDir,
		Log:      logWriter(log),
		// The root only lends its files to mkinitramfs: the packages are
		// unpacked in Go and no maintainer script runs (under qemu-user
		// that configure step was most of a cold boot check's time);
		// makeInitramfs does what mkinitramfs needs of them.
		UnpackOnly: true,
	}
	if _, err := debootstrap.Bootstrap(ctx, root, opt); err != nil {
		return nil, fmt.Errorf("bootstrapping a root with the kernel: %w", err)
	}
	version, err := kernelVersion(root)
	if err != nil {
		return nil, err
	}
	if err := makeInitramfs(ctx, root, arch, version, log); err != nil {
		return nil, err
	}
	// Beside dir, not in work, which may be a tmpfs: renamed into place.
	keep := filepath.Join(filepath.Dir(dir), filepath.Base(work)+".keep")
	defer os.RemoveAll(keep)
	if err := collectKernel(ctx, root, keep); err != nil {
		return nil, err
	}
	os.RemoveAll(dir)
	if err := os.Rename(keep, dir); err != nil {
		return nil, fmt.Errorf("keeping the kernel in %s: %w", dir, err)
	}
	return readKernel(dir)
}

// kernelVersion is the version (uname -r) of the one kernel in the root
// at dir, found inside it.
func kernelVersion(dir string) (string, error) {
	root, err := chroot.Open(dir)
	if err != nil {
		return "", err
	}
	vmlinuz, _ := root.Glob("/boot/vmlinuz-*")
	if len(vmlinuz) != 1 {
		return "", fmt.Errorf("finding the kernel in %s/boot: %d candidates", dir, len(vmlinuz))
	}
	return strings.TrimPrefix(path.Base(vmlinuz[0]), "vmlinuz-"), nil
}

// collectKernel copies vmlinuz, initrd.img and the modules out of the
// root at dir, every path resolved inside it: the root was made from the
// archive's packages, whose symlinks must not lead to host files.
func collectKernel(ctx context.Context, dir, keep string) error {
	root, err := chroot.Open(dir)
	if err != nil {
		return err
	}
	version, err := kernelVersion(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(keep, "modules"), 0o755); err != nil {
		return err
	}
	if err := copyOut(root, "/boot/vmlinuz-"+version, filepath.Join(keep, "vmlinuz")); err != nil {
		return err
	}
	if err := copyOut(root, "/boot/initrd.img-"+version, filepath.Join(keep, "initrd.img")); err != nil {
		return fmt.Errorf("finding the initramfs of %s: %w", version, err)
	}
	if err := root.CopyDirOut(ctx, "/usr/lib/modules/"+version, filepath.Join(keep, "modules", version)); err != nil {
		return fmt.Errorf("copying the kernel out of its root: %w", err)
	}
	return os.WriteFile(filepath.Join(keep, "version"), []byte(version+"\n"), 0o644)
}

// copyOut copies the regular file name of root to the host file dst.
func copyOut(root *chroot.Root, name, dst string) error {
	in, err := root.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("copying %s out of its root: not a regular file", name)
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s out of its root: %w", name, err)
	}
	return out.Close()
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
