package boot

import (
	"debug/elf"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/chrootbuild/chrootbuild/arch"
)

// kernelRootFS mounts a tmpfs on dir, the kernel root's work folder,
// when the target's programs are 32-bit ones run by qemu-user on this
// 64-bit host, and returns its unmount (a no-op otherwise). On ext4 a
// folder's readdir offsets are 64-bit hashes unless the reader is a
// 32-bit process, which under qemu-user the kernel cannot tell: the
// target's dracut-install, which initramfs-tools calls for the block and
// other driver folders, then reads no entry (its readdir overflows) and
// the armhf initramfs came out without virtio_blk. tmpfs offsets are
// small counters.
func kernelRootFS(dir, target string) (func(), error) {
	t, err := arch.Lookup(target)
	if err != nil {
		return nil, err
	}
	e, err := arch.ExecOn(arch.Host(), t, arch.HostCaps())
	if err != nil {
		return nil, err
	}
	if e.Mode != arch.Emulated || t.ELF.Class != elf.ELFCLASS32 {
		return func() {}, nil
	}
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return nil, fmt.Errorf("mounting a tmpfs for the %s kernel root on %s: %w", target, dir, err)
	}
	return func() { unix.Unmount(dir, unix.MNT_DETACH) }, nil
}
