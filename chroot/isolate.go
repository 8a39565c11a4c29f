package chroot

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// fdPath names the file of descriptor fd for mount(2), which takes paths.
func fdPath(fd int) string { return "/proc/self/fd/" + strconv.Itoa(fd) }

// bindNoDev binds the root folder on itself, with whatever is mounted
// below it, and takes device access away from all of it: the root is
// then a mount point of its own (pivot needs one) and a device node in
// the image, made by a command or shipped by a package, cannot be opened.
func (r *Root) bindNoDev() error {
	if err := unix.Mount(r.dir, r.dir, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("binding %s on itself: %w", r.dir, err)
	}
	attr := unix.MountAttr{Attr_set: unix.MOUNT_ATTR_NODEV}
	err := unix.MountSetattr(unix.AT_FDCWD, r.dir, unix.AT_RECURSIVE, &attr)
	if errors.Is(err, unix.ENOSYS) { // before Linux 5.12: the top mount only
		err = remount(r.dir, unix.MS_NODEV)
	}
	if err != nil {
		return fmt.Errorf("making %s nodev: %w", r.dir, err)
	}
	return nil
}

// remount adds flags to the single mount at target (a bind remount: other
// mounts of the same file system keep theirs). The flags it has stay;
// statfs's ST_RDONLY, ST_NOSUID, ST_NODEV and ST_NOEXEC have the values of
// the MS_ ones, and the access-time flags stay unless given.
func remount(target string, flags uintptr) error {
	var st unix.Statfs_t
	if err := unix.Statfs(target, &st); err != nil {
		return err
	}
	keep := uintptr(st.Flags) & (unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC)
	return unix.Mount("", target, "", unix.MS_REMOUNT|unix.MS_BIND|keep|flags, "")
}

// bindOnItself makes the file name in dirfd a mount of its own, which
// keeps the mount flags it has now whatever later happens to its folder's.
func bindOnItself(dirfd int, name string) error {
	fd, err := unix.Openat(dirfd, name, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Mount(fdPath(fd), fdPath(fd), "", unix.MS_BIND, "")
}

// pivot makes the root (our working folder after it) the namespace's root
// and detaches the host's file system from the namespace. A kernel whose
// root is the initial ramfs refuses pivot_root; there the root is moved
// over "/" and chrooted, as switch_root does.
func (r *Root) pivot() error {
	if err := unix.Chdir(r.dir); err != nil {
		return err
	}
	err := unix.PivotRoot(".", ".")
	if err == unix.EINVAL {
		if err := unix.Mount(".", "/", "", unix.MS_MOVE, ""); err != nil {
			return fmt.Errorf("moving the root over /: %w", err)
		}
		return unix.Chroot(".")
	}
	if err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the host's file system: %w", err)
	}
	return unix.Chdir("/")
}

// procReadOnly and procHidden are the host-global parts of /proc, as
// systemd-nspawn treats them: kernel tunables and hardware settings are
// read-only; the kernel's memory and symbols, the root's keys, the timer
// list and the SysRq trigger are replaced by an empty read-only file.
var (
	procReadOnly = []string{"/proc/sys", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/scsi", "/proc/acpi"}
	procHidden   = []string{"/proc/kcore", "/proc/kallsyms", "/proc/keys", "/proc/timer_list", "/proc/sysrq-trigger"}
)

// maskProc applies procReadOnly and procHidden to the /proc just mounted.
func maskProc() error {
	const ro = unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC
	for _, p := range procReadOnly {
		err := unix.Mount(p, p, "", unix.MS_BIND|unix.MS_REC, "")
		if err == nil {
			err = remount(p, ro)
		}
		if err != nil && err != unix.ENOENT {
			return fmt.Errorf("making %s read-only: %w", p, err)
		}
	}
	const empty = "/run/.chrootbuild-empty"
	if err := os.WriteFile(empty, nil, 0); err != nil {
		return fmt.Errorf("hiding parts of /proc: %w", err)
	}
	defer os.Remove(empty)
	for _, p := range procHidden {
		err := unix.Mount(empty, p, "", unix.MS_BIND, "")
		if err == nil {
			err = remount(p, ro)
		}
		if err != nil && err != unix.ENOENT {
			return fmt.Errorf("hiding %s: %w", p, err)
		}
	}
	return nil
}

// loopbackUp brings up the loopback interface of a new network namespace,
// which starts down.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("bringing up lo: %w", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err == nil {
		err = unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr)
	}
	if err == nil {
		ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
		err = unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
	}
	if err != nil {
		return fmt.Errorf("bringing up lo: %w", err)
	}
	return nil
}
