package stepcache

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// uploadNice is how much nicer than the build the threads that pack and
// send uploads are: they take the time the build's steps leave idle.
const uploadNice = 10

// lowerPriority locks the calling goroutine to its thread and makes the
// thread uploadNice nicer than it is (19 at most). The goroutine must end
// without unlocking, so that the thread ends with it and never runs
// anything else. A failure leaves the priority as it was.
func lowerPriority() {
	runtime.LockOSThread()
	tid := unix.Gettid()
	p, err := unix.Getpriority(unix.PRIO_PROCESS, tid) // the kernel's 20 - nice
	if err != nil {
		return
	}
	unix.Setpriority(unix.PRIO_PROCESS, tid, min(20-p+uploadNice, 19))
}
