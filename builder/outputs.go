package builder

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/pack"
)

// packJob is one output being written alongside the others: its log is
// held until the output's turn to be reported comes.
type packJob struct {
	o    hcl.Output
	log  lockedBuffer
	done chan struct{}
	took time.Duration
	err  error
}

// outputs writes every output from a view of the finished root, mounted
// only when an output is not in the cache; the scratch upper folder takes
// any change an output makes and is thrown away. The outputs only read
// the root, so they are written at once, as many as there are CPUs (a
// tar packs on one CPU, while mksquashfs's threads wait on their reads),
// and reported in the definition's order; the first to fail stops the
// others.
func (b *builder) outputs(ctx context.Context) error {
	if err := os.MkdirAll(b.opt.OutDir, 0o755); err != nil {
		return fmt.Errorf("creating output folder %s: %w", b.opt.OutDir, err)
	}
	jobs := make([]*packJob, len(b.img.Outputs)) // nil: restored from the cache
	var todo []*packJob
	for i, o := range b.img.Outputs {
		if !b.restoreOutput(o) {
			jobs[i] = &packJob{o: o, done: make(chan struct{})}
			todo = append(todo, jobs[i])
		}
	}
	wait := func() error { return nil }
	if len(todo) > 0 {
		m, err := b.mountFinal()
		if err != nil {
			return err
		}
		defer m.Unmount()
		wait = b.startPacking(ctx, m.Target, todo)
	}
	for i, o := range b.img.Outputs {
		if err := b.reportOutput(o, jobs[i]); err != nil {
			return b.firstFailure(wait(), todo, jobs[i])
		}
	}
	return nil
}

// reportOutput reports output o in its turn: cached (j nil), or once
// its job ends, with its log; a written output is kept in the cache.
func (b *builder) reportOutput(o hcl.Output, j *packJob) error {
	label := "output " + o.Kind
	if j == nil {
		b.ev.cached(label, pos(o.Range), o.Summary())
		return nil
	}
	b.ev.begin(label, pos(o.Range), o.Summary())
	stop := b.packProgress(o)
	<-j.done
	stop()
	b.showLog(label, &j.log)
	if j.err != nil {
		return j.err
	}
	b.keepOutput(o, j.took)
	b.ev.endAfter(j.took)
	return nil
}

// firstFailure returns err, the error of the output that failed before
// the others were cancelled, showing its log unless it was the job just
// reported.
func (b *builder) firstFailure(err error, jobs []*packJob, reported *packJob) error {
	for _, j := range jobs {
		if j.err == err && j != reported {
			b.showLog("output "+j.o.Kind, &j.log)
		}
	}
	return err
}

// startPacking writes the jobs' outputs from root, runtime.NumCPU at a
// time, in order; each job's done is closed when it ends. The first job
// to fail cancels the others; the function returned waits for every job
// and returns that first error.
func (b *builder) startPacking(ctx context.Context, root string, jobs []*packJob) (wait func() error) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.NumCPU())
	debs := newDebDigests(b)
	started := make(chan struct{})
	go func() {
		defer close(started)
		for _, j := range jobs {
			g.Go(func() error {
				defer close(j.done)
				env := &pack.Env{RootDir: root, OutDir: b.opt.OutDir, Log: &j.log, DebDigest: debs.lookup}
				start := time.Now()
				if err := j.o.Output.Write(ctx, env); err != nil {
					j.err = fmt.Errorf("output %s (%s): %w", j.o.Kind, pos(j.o.Range), err)
				}
				j.took = time.Since(start)
				return j.err
			})
		}
	}()
	return func() error { <-started; return g.Wait() }
}

// showLog passes an output's log on, a line per event, its last line
// too when it lacks a newline.
func (b *builder) showLog(label string, log *lockedBuffer) {
	text := log.Bytes()
	if len(text) > 0 && text[len(text)-1] != '\n' {
		text = append(text, '\n')
	}
	b.ev.prefixed(label + ": ").Write(text)
}

// lockedBuffer is a log an output's tools may write from several
// goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Bytes returns what was written so far.
func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.buf.Bytes())
}
