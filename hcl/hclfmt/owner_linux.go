package hclfmt

import (
	"errors"
	"os"
	"syscall"
)

// keepOwner gives f the owner and group of fi, so that root formatting a
// user's file leaves it the user's. A user who may not set them (a file
// of another group in a shared folder) keeps the file as they wrote it.
func keepOwner(f *os.File, fi os.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	err := f.Chown(int(st.Uid), int(st.Gid))
	if errors.Is(err, os.ErrPermission) {
		return nil
	}
	return err
}
