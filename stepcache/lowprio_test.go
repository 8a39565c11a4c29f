package stepcache

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestUploaderThreadNicer checks that an uploader's thread runs 10 nicer
// than the build (19 at most) and gets the build's priority back when the
// build waits for it.
func TestUploaderThreadNicer(t *testing.T) {
	nice := func(tid int) int {
		p, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
		if err != nil {
			t.Fatal(err)
		}
		return 20 - p
	}
	base := nice(0) // the calling thread: the build's priority
	var n niceThreads
	tids, release := make(chan int), make(chan struct{})
	go func() {
		n.lower()
		tids <- unix.Gettid()
		<-release
	}()
	defer close(release)
	tid := <-tids
	if got, want := nice(tid), min(base+uploadNice, 19); got != want {
		t.Fatalf("uploader thread nice %d, want %d (the build's is %d)", got, want, base)
	}
	n.restore()
	if got := nice(tid); got != base {
		t.Fatalf("after restore the uploader thread's nice is %d, want the build's %d", got, base)
	}
}
