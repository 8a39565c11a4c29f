package chroot

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// sandboxCaps is the capability bounding set of every command: what
// installing packages and running maintainer scripts needs, as root, on
// files of the image. Every other capability is dropped, among them
// CAP_SYS_ADMIN (mount would undo the read-only /proc/sys and /sys),
// CAP_SYS_MODULE, CAP_SYS_BOOT, CAP_SYS_TIME, CAP_SYS_RAWIO,
// CAP_SYS_PTRACE, CAP_NET_ADMIN and CAP_NET_RAW (the host's network
// when steps share it), CAP_SYS_RESOURCE (the file systems' blocks
// reserved for the host's root), CAP_SYS_NICE (real-time scheduling
// starves the host), CAP_LINUX_IMMUTABLE (immutable files the host could
// not clean up), CAP_DAC_READ_SEARCH (open_by_handle_at reaches past the
// root), CAP_AUDIT_CONTROL, CAP_SYSLOG, CAP_MAC_*, CAP_BPF, CAP_PERFMON.
var sandboxCaps = []uintptr{
	unix.CAP_CHOWN,            // dpkg gives files their owners; chown in postinst
	unix.CAP_DAC_OVERRIDE,     // root reads and writes files whatever their mode (/etc/shadow)
	unix.CAP_FOWNER,           // chmod, utime and xattrs on files root does not own
	unix.CAP_FSETID,           // set-user-ID and set-group-ID bits survive chown/chmod
	unix.CAP_SETUID,           // apt drops to _apt; su, runuser, setpriv in scripts
	unix.CAP_SETGID,           // the same for groups, setgroups
	unix.CAP_SETFCAP,          // setcap in postinst (iputils-ping), dpkg's file capabilities
	unix.CAP_SETPCAP,          // programs that drop capabilities themselves
	unix.CAP_KILL,             // start-stop-daemon and scripts signal other users' processes
	unix.CAP_MKNOD,            // dpkg and scripts create device nodes (inert: every mount is nodev)
	unix.CAP_SYS_CHROOT,       // chroot inside the image (only ever reaches the image root)
	unix.CAP_NET_BIND_SERVICE, // a daemon a script starts binds a low port
	unix.CAP_NET_BROADCAST,    // harmless, kept as systemd-nspawn does
	unix.CAP_IPC_OWNER,        // System V IPC of other users; the IPC namespace is the sandbox's
	unix.CAP_LEASE,            // file leases
	unix.CAP_AUDIT_WRITE,      // su, login and sshd fail when they cannot log to audit
	unix.CAP_SYS_TTY_CONFIG,   // vhangup by getty and login
}

// dropCapabilities cuts the calling thread's bounding set to sandboxCaps
// and clears its inheritable and ambient sets, so a program it starts gets
// no other capability, even a set-user-ID one. The bounding set is a
// thread's: the caller keeps its OS thread locked until it has started
// the command.
func dropCapabilities() error {
	last, err := lastCap()
	if err != nil {
		return err
	}
	keep := map[uintptr]bool{}
	for _, c := range sandboxCaps {
		keep[c] = true
	}
	for c := uintptr(0); c <= last; c++ {
		if keep[c] {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, c, 0, 0, 0); err != nil {
			return fmt.Errorf("dropping capability %d: %w", c, err)
		}
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		return fmt.Errorf("clearing ambient capabilities: %w", err)
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return fmt.Errorf("reading capabilities: %w", err)
	}
	data[0].Inheritable, data[1].Inheritable = 0, 0
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("clearing inheritable capabilities: %w", err)
	}
	return nil
}

// lastCap is the highest capability the running kernel knows.
func lastCap() (uintptr, error) {
	b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap")
	if err != nil {
		return 0, fmt.Errorf("reading the last capability: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("reading the last capability: %w", err)
	}
	return uintptr(n), nil
}
