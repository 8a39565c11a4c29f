package arch

import (
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

const (
	perLinux32  = 0x0008
	perQuery    = 0xffffffff
	perTypeMask = 0xff
)

var hostCaps = sync.OnceValue(probeCaps)

// HostCaps probes what this host's CPU runs beyond its own architecture,
// once per process.
func HostCaps() Caps { return hostCaps() }

// probeCaps asks the kernel: on arm64, personality(PER_LINUX32) fails
// with EINVAL when no CPU runs 32-bit code at EL0 (arm64_personality).
// The probe runs on a locked thread and puts the personality back.
func probeCaps() Caps {
	if _, ok := compat[Host().Debian]; !ok {
		return Caps{}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old, _, errno := unix.RawSyscall(unix.SYS_PERSONALITY, perQuery, 0, 0)
	if errno != 0 {
		return Caps{}
	}
	_, _, errno = unix.RawSyscall(unix.SYS_PERSONALITY, (old&^perTypeMask)|perLinux32, 0, 0)
	if errno != 0 {
		return Caps{}
	}
	unix.RawSyscall(unix.SYS_PERSONALITY, old, 0, 0)
	return Caps{Run32: true}
}

// SetLinux32 sets PER_LINUX32 on the calling thread, which its children
// inherit: call it in a process about to exec a Compat32 command, on a
// locked thread.
func SetLinux32() error {
	old, _, errno := unix.RawSyscall(unix.SYS_PERSONALITY, perQuery, 0, 0)
	if errno != 0 {
		return errno
	}
	if _, _, errno = unix.RawSyscall(unix.SYS_PERSONALITY, (old&^perTypeMask)|perLinux32, 0, 0); errno != 0 {
		return errno
	}
	return nil
}
