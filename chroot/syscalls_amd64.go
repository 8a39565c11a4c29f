package chroot

import "golang.org/x/sys/unix"

const (
	auditArch        = unix.AUDIT_ARCH_X86_64
	sysSyncFileRange = unix.SYS_SYNC_FILE_RANGE
)

// hostCalls covers x86-64, x32 (refused whole) and i386 binaries.
var hostCalls = []callSet{
	abiX8664.set(unix.AUDIT_ARCH_X86_64, true),
	abiI386.set(unix.AUDIT_ARCH_I386, false),
}
