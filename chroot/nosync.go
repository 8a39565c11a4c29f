//go:build amd64 || arm64 || arm

package chroot

import (
	"fmt"

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
// calls through qemu and are covered. It stacks with the sandbox's
// filter (refuseHostCalls), which lists none of these calls.
func disableSync() error {
	set := callSet{arch: auditArch}
	for _, nr := range syncCalls {
		set.calls = append(set.calls, refusal{nr, 0}) // errno 0: success
	}
	if err := loadFilter(filterProgram([]callSet{set}, unix.SECCOMP_RET_ALLOW), true); err != nil {
		return fmt.Errorf("disabling sync calls: %w", err)
	}
	return nil
}
