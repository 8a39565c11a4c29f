package chroot

import "golang.org/x/sys/unix"

const (
	auditArch        = unix.AUDIT_ARCH_AARCH64
	sysSyncFileRange = unix.SYS_SYNC_FILE_RANGE
)
