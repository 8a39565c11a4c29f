//go:build !amd64 && !arm64 && !arm

package chroot

import "errors"

func disableSync() error {
	return errors.New("disabling sync calls: not supported on this architecture")
}
