package stepcache

import (
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// uploadNice is how much nicer than the build the threads that pack and
// send uploads are while the build runs: they take the time its steps
// leave idle.
const uploadNice = 10

// niceThreads are threads made nicer for a while: lowered by lower, put
// back to the build's priority by restore.
type niceThreads struct {
	mu   sync.Mutex
	tids map[int]int // thread id: its nice value before
}

// lower locks the calling goroutine to its thread and makes the thread
// uploadNice nicer than it is (19 at most). The goroutine must end without
// unlocking, so that the thread ends with it and never runs anything
// else. A failure leaves the priority as it was.
func (n *niceThreads) lower() {
	runtime.LockOSThread()
	tid := unix.Gettid()
	p, err := unix.Getpriority(unix.PRIO_PROCESS, tid) // the kernel's 20 - nice
	if err != nil {
		return
	}
	if unix.Setpriority(unix.PRIO_PROCESS, tid, min(20-p+uploadNice, 19)) != nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.tids == nil {
		n.tids = map[int]int{}
	}
	n.tids[tid] = 20 - p
}

// restore gives the threads their priority back: once the build waits for
// them, nothing of it competes, and other work on the machine must not
// starve them.
func (n *niceThreads) restore() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for tid, nice := range n.tids {
		unix.Setpriority(unix.PRIO_PROCESS, tid, nice)
	}
	n.tids = nil
}
