package pack

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel every 100 ms to start writing out what a
// tool (mksquashfs, mke2fs) has written to f so far, so that the fsync
// before the rename has little left to wait for. It returns the function
// that stops it.
func startWriteback(f *os.File) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		var synced int64
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			var st unix.Stat_t
			if unix.Fstat(int(f.Fd()), &st) != nil || st.Size-synced < writebackEvery {
				continue
			}
			// Only a hint: an error changes nothing.
			unix.SyncFileRange(int(f.Fd()), synced, st.Size-synced, unix.SYNC_FILE_RANGE_WRITE)
			synced = st.Size
		}
	}()
	return func() { close(done); <-finished }
}
