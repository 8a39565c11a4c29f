package chroot

import "golang.org/x/sys/unix"

const (
	auditArch        = unix.AUDIT_ARCH_X86_64
	sysSyncFileRange = unix.SYS_SYNC_FILE_RANGE
)
