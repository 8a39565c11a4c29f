package chroot

import (
	"errors"
	"fmt"
	"os"
	"path"

	"golang.org/x/sys/unix"
)

// enter builds the command's view and makes the image root its "/". It
// runs in the namespace's first process, whose mount namespace is its
// own: the root is bound on itself without device access (nodev, so a
// device node a command makes cannot be opened), the plan is mounted
// inside, the root becomes the namespace's root (pivot), so nothing of
// the host's file system is left to reach even by escaping a chroot, and
// the host-global parts of /proc are made read-only or hidden. With
// console, the caller's terminal (our standard input) is bound on
// /dev/console, as systemd-nspawn does, so ttyname() and tty(1) find it.
func (r *Root) enter(console bool) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	if err := r.bindNoDev(); err != nil {
		return err
	}
	for _, m := range mountPlan {
		if err := r.mount(m); err != nil {
			return fmt.Errorf("mounting %s on %s: %w", m.fstype, path.Join(r.dir, m.target), err)
		}
		if m.target == "/dev" {
			if err := r.populateDev(console); err != nil {
				return fmt.Errorf("filling %s: %w", path.Join(r.dir, "dev"), err)
			}
		}
		for _, d := range afterMount[m.target] {
			if err := r.mkdirMode(d[0].(string), d[1].(uint32)); err != nil {
				return err
			}
		}
	}
	if err := r.pivot(); err != nil {
		return fmt.Errorf("entering %s: %w", r.dir, err)
	}
	return maskProc()
}

// mount mounts m on its target, a real folder resolved inside the root
// (never a symlink, which could lead the mount anywhere), through the
// descriptor's /proc/self/fd link so the path cannot change under us.
func (r *Root) mount(m mountSpec) error {
	if err := r.MkdirAll(m.target, 0o755); err != nil {
		return err
	}
	fi, err := r.Lstat(m.target)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	fd, err := r.open(m.target, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Mount(m.source, fdPath(fd), m.fstype, m.flags, m.data)
}

// populateDev creates the device nodes and links in the fresh /dev tmpfs.
// Each node is bound on itself, keeping device access on that one file,
// and /dev is then remounted nodev: a node a command creates there is
// inert, like everywhere else.
func (r *Root) populateDev(console bool) error {
	dirfd, err := r.open("/dev", unix.O_PATH|unix.O_DIRECTORY, 0)
	if err != nil {
		return err
	}
	defer unix.Close(dirfd)
	for _, n := range devNodes {
		if err := unix.Mknodat(dirfd, n.name, unix.S_IFCHR|0o666, int(unix.Mkdev(n.major, n.minor))); err != nil {
			return fmt.Errorf("creating device %s: %w", n.name, err)
		}
		if err := bindOnItself(dirfd, n.name); err != nil {
			return fmt.Errorf("binding device %s: %w", n.name, err)
		}
	}
	for _, l := range devLinks {
		if err := unix.Symlinkat(l[1], dirfd, l[0]); err != nil {
			return fmt.Errorf("linking %s: %w", l[0], err)
		}
	}
	if console && isTerminal(0) {
		if err := bindConsole(dirfd); err != nil {
			return err
		}
	}
	return remount(fdPath(dirfd), unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC)
}

// bindConsole bind-mounts the terminal on our standard input onto
// /dev/console in the folder dirfd. The bind goes through the terminal's
// path: the descriptor's mount belongs to the caller's namespace, which
// mount(2) refuses as a source.
func bindConsole(dirfd int) error {
	tty, err := os.Readlink("/proc/self/fd/0")
	if err != nil {
		return fmt.Errorf("finding the terminal: %w", err)
	}
	var in, named unix.Stat_t
	if unix.Fstat(0, &in) != nil || unix.Stat(tty, &named) != nil || in.Rdev != named.Rdev {
		return nil // not reachable by path (another namespace): no console
	}
	fd, err := unix.Openat(dirfd, "console", unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0o600)
	if err != nil {
		return fmt.Errorf("creating console: %w", err)
	}
	defer unix.Close(fd)
	if err := unix.Mount(tty, fdPath(fd), "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("binding the terminal on console: %w", err)
	}
	return nil
}

// isTerminal reports whether fd is a terminal.
func isTerminal(fd int) bool {
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err == nil
}

// mkdirMode creates a folder with exactly mode (the umask is 0 here).
func (r *Root) mkdirMode(name string, mode uint32) error {
	return r.atParent("creating folder", name, func(dirfd int, base string) error {
		err := unix.Mkdirat(dirfd, base, mode)
		if err == unix.EEXIST {
			return nil
		}
		return err
	})
}
