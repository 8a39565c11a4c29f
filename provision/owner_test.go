package provision

import (
	"io/fs"
	"syscall"
)

// fileOwner returns uid and gid of a host-side FileInfo.
func fileOwner(fi fs.FileInfo) [2]int {
	st := fi.Sys().(*syscall.Stat_t)
	return [2]int{int(st.Uid), int(st.Gid)}
}
