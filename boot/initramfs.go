package boot

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// makeInitramfs runs the distribution's update-initramfs for the kernel
// version in its throw-away root (bootstrapped with INITRD=No, so dpkg
// made none), then checks that every program in the initramfs is built
// for the image's architecture. In a foreign root the driving tools go
// native first (see nativeTools): mkinitramfs starts thousands of short
// processes, each seconds slower under qemu-user.
func makeInitramfs(ctx context.Context, dir, target string, version string, log func(string)) error {
	root, err := chroot.Open(dir)
	if err != nil {
		return err
	}
	t, err := arch.Lookup(target)
	if err != nil {
		return err
	}
	if err := nativeToolsIfForeign(root, target, log); err != nil {
		return err
	}
	if err := postinstOutputs(ctx, root, version); err != nil {
		return err
	}
	if out, err := root.Output(ctx, "update-initramfs", "-c", "-k", version); err != nil {
		return fmt.Errorf("making the initramfs of %s: %w\n%s", version, err, out)
	}
	return checkInitramfs(ctx, root, t, version)
}

// postinstOutputs makes, in the unpacked kernel root, the two files of
// maintainer scripts that mkinitramfs reads: the kernel postinst's
// modules.dep (depmod; modprobe reads it for each module's
// dependencies) and udev's hwdb.bin (systemd-hwdb, copied into the
// initramfs by udev's hook).
func postinstOutputs(ctx context.Context, root *chroot.Root, version string) error {
	if out, err := root.Output(ctx, "depmod", "-a", version); err != nil {
		return fmt.Errorf("listing the modules of %s (depmod): %w\n%s", version, err, out)
	}
	if _, err := root.Lstat("/usr/bin/systemd-hwdb"); err != nil {
		return nil
	}
	if out, err := root.Output(ctx, "systemd-hwdb", "--usr", "update"); err != nil {
		return fmt.Errorf("compiling udev's hardware database (systemd-hwdb): %w\n%s", err, out)
	}
	return nil
}

// nativeToolsIfForeign puts the host's tools into a root whose programs
// run through qemu-user (see nativeTools) and says so.
func nativeToolsIfForeign(root *chroot.Root, target string, log func(string)) error {
	t, err := arch.Lookup(target)
	if err != nil {
		return err
	}
	e, err := arch.ExecOn(arch.Host(), t, arch.HostCaps())
	if err != nil || e.Mode != arch.Emulated {
		return err
	}
	n, err := nativeTools(root)
	if err != nil {
		return err
	}
	log(fmt.Sprintf("running mkinitramfs with %d native %s tools in the %s kernel root (the programs the initramfs gets stay %s)", n, arch.Host().Debian, target, target))
	return nil
}

// checkInitramfs unpacks the initramfs in the root and refuses one that
// holds a program of another architecture, or lacks the boot disk's
// driver (see diskDriver).
func checkInitramfs(ctx context.Context, root *chroot.Root, t *arch.Arch, version string) error {
	const unpacked = "/var/tmp/initramfs-check"
	if out, err := root.Output(ctx, "unmkinitramfs", "/boot/initrd.img-"+version, unpacked); err != nil {
		return fmt.Errorf("unpacking the initramfs of %s to check it: %w\n%s", version, err, out)
	}
	base := filepath.Join(root.Dir(), unpacked)
	defer os.RemoveAll(base)
	elves, disk := 0, false
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		disk = disk || strings.HasPrefix(d.Name(), diskDriver+".ko")
		a := arch.FromELF(readHead(p))
		if a == nil {
			return nil
		}
		elves++
		if a != t && !(strings.HasSuffix(p, ".ko") || strings.Contains(p, "/firmware/")) {
			return fmt.Errorf("the initramfs of %s holds %s, built for %s, not %s", version, strings.TrimPrefix(p, base), a.Debian, t.Debian)
		}
		return nil
	})
	if err == nil && elves == 0 {
		err = fmt.Errorf("the initramfs of %s holds no program", version)
	}
	if err == nil && !disk && !builtIn(root, version, diskDriver) {
		err = fmt.Errorf("the initramfs of %s lacks %s, the driver of the boot disk", version, diskDriver)
	}
	return err
}

// diskDriver is the module of the boot check's disk (QEMU's if=virtio).
const diskDriver = "virtio_blk"

// builtIn reports whether the kernel version in root has module built
// in, by its modules.builtin list.
func builtIn(root *chroot.Root, version, module string) bool {
	f, err := root.OpenFile("/usr/lib/modules/"+version+"/modules.builtin", os.O_RDONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	for _, l := range strings.Split(string(b), "\n") {
		if path.Base(l) == module+".ko" {
			return true
		}
	}
	return false
}

// logWriter passes the bootstrap's timed phase lines ("[ 12.3s, cpu
// ...] ...") to log, and drops its per-package progress.
func logWriter(log func(string)) io.Writer { return phaseLines{log} }

type phaseLines struct{ log func(string) }

func (w phaseLines) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if strings.HasPrefix(l, "[") {
			w.log("kernel root: " + l)
		}
	}
	return len(p), nil
}

func readHead(name string) []byte {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, 64)
	n, _ := f.Read(b)
	return b[:n]
}
