package chroot

import "golang.org/x/sys/unix"

const (
	auditArch        = unix.AUDIT_ARCH_AARCH64
	sysSyncFileRange = unix.SYS_SYNC_FILE_RANGE
)

// hostCalls covers arm64 and 32-bit arm binaries (an armhf image).
var hostCalls = []callSet{
	abiAArch64.set(unix.AUDIT_ARCH_AARCH64, false),
	abiARM.set(unix.AUDIT_ARCH_ARM, false),
}
