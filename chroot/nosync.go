//go:build amd64 || arm64 || arm

package chroot

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// syncCalls are the system calls NoSync turns into no-ops.
var syncCalls = []uint32{
	unix.SYS_FSYNC, unix.SYS_FDATASYNC, unix.SYS_SYNC, unix.SYS_SYNCFS,
	unix.SYS_MSYNC, sysSyncFileRange,
}

// disableSync installs, on every thread of this process and so on every
// process it starts, a seccomp filter that answers the sync calls with
// success without doing them. Calls of another architecture (an i386
// binary on amd64) pass through untouched; emulated binaries make host
// calls through qemu and are covered.
func disableSync() error {
	var prog []unix.SockFilter
	add := func(code uint16, jt, jf uint8, k uint32) {
		prog = append(prog, unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k})
	}
	n := uint8(len(syncCalls))
	add(unix.BPF_LD|unix.BPF_W|unix.BPF_ABS, 0, 0, 4) // seccomp_data.arch
	add(unix.BPF_JMP|unix.BPF_JEQ|unix.BPF_K, 0, n+1, auditArch)
	add(unix.BPF_LD|unix.BPF_W|unix.BPF_ABS, 0, 0, 0) // seccomp_data.nr
	for i, nr := range syncCalls {
		add(unix.BPF_JMP|unix.BPF_JEQ|unix.BPF_K, n-uint8(i), 0, nr)
	}
	add(unix.BPF_RET|unix.BPF_K, 0, 0, unix.SECCOMP_RET_ALLOW)
	add(unix.BPF_RET|unix.BPF_K, 0, 0, unix.SECCOMP_RET_ERRNO) // errno 0: success
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("disabling sync calls: %w", err)
	}
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	if errno != 0 {
		return fmt.Errorf("disabling sync calls: seccomp: %w", errno)
	}
	return nil
}
