package chroot

import "golang.org/x/sys/unix"

const (
	auditArch        = unix.AUDIT_ARCH_ARM
	sysSyncFileRange = 341 // arm_sync_file_range
)

// hostCalls covers 32-bit arm binaries.
var hostCalls = []callSet{abiARM.set(unix.AUDIT_ARCH_ARM, false)}
