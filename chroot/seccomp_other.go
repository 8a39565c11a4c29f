//go:build !amd64 && !arm64 && !arm

package chroot

import "errors"

func disableSync() error {
	return errors.New("disabling sync calls: not supported on this architecture")
}

// refuseHostCalls does nothing where chrootbuild has no system call table:
// the dropped capabilities (sandboxCaps) still refuse those calls.
func refuseHostCalls() error { return nil }
