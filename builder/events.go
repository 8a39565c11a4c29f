package builder

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	hclsyn "github.com/hashicorp/hcl/v2"

	"github.com/chrootbuild/chrootbuild/debootstrap"
	"github.com/chrootbuild/chrootbuild/internal/redact"
)

// Summary is the time of each phase and step of a build, and which came
// from the step cache.
type Summary struct {
	Phases []Phase       `json:"phases"`
	Total  time.Duration `json:"total_ns"`
}

// Phase is one timed part of a build.
type Phase struct {
	Name     string        `json:"name"`
	Pos      string        `json:"pos,omitempty"`
	Cached   bool          `json:"cached"`
	Duration time.Duration `json:"duration_ns"`
}

// events writes a line per phase (or a JSON event per line) and keeps the
// summary.
type events struct {
	mu      sync.Mutex
	out     io.Writer
	json    bool
	summary *Summary
	cur     *Phase
	start   time.Time
	// scrub removes the image's sensitive values from every event.
	scrub *redact.Scrubber
}

func newEvents(w io.Writer, asJSON bool, sc *redact.Scrubber) *events {
	return &events{out: w, json: asJSON, summary: &Summary{}, scrub: sc}
}

// scrubWriter scrubs sensitive values from each write (the bootstrap's
// log, which writes whole lines).
type scrubWriter struct {
	w  io.Writer
	sc *redact.Scrubber
}

func (s scrubWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, s.sc.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

type event struct {
	Event   string  `json:"event"`
	Name    string  `json:"name,omitempty"`
	Pos     string  `json:"pos,omitempty"`
	Summary string  `json:"summary,omitempty"`
	Seconds float64 `json:"seconds,omitempty"`
	Message string  `json:"message,omitempty"`
	Total   float64 `json:"total_seconds,omitempty"`
	Phases  []Phase `json:"phases,omitempty"`
	Phase   string  `json:"phase,omitempty"`
	Package string  `json:"package,omitempty"`
	Done    int     `json:"done,omitempty"`
	Count   int     `json:"count,omitempty"`
}

func (e *events) emit(ev event, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sc := e.scrub
	ev.Name, ev.Pos, ev.Summary, ev.Message = sc.String(ev.Name), sc.String(ev.Pos), sc.String(ev.Summary), sc.String(ev.Message)
	text = sc.String(text)
	if e.json {
		b, _ := json.Marshal(ev)
		e.out.Write(append(b, '\n'))
		return
	}
	io.WriteString(e.out, text)
}

func (e *events) begin(name, pos, summary string) {
	e.cur = &Phase{Name: name, Pos: pos}
	e.start = time.Now()
	e.emit(event{Event: "begin", Name: name, Pos: pos, Summary: summary},
		fmt.Sprintf("==> %s (%s): %s\n", name, pos, summary))
}

func (e *events) end() { e.endAfter(time.Since(e.start)) }

// endAfter ends the phase begun last, which took d: an output packed
// alongside others began before it was reported.
func (e *events) endAfter(d time.Duration) {
	e.cur.Duration = d
	e.summary.Phases = append(e.summary.Phases, *e.cur)
	e.emit(event{Event: "end", Name: e.cur.Name, Seconds: e.cur.Duration.Seconds()},
		fmt.Sprintf("    %s done in %.1fs\n", e.cur.Name, e.cur.Duration.Seconds()))
}

func (e *events) cached(name, pos, summary string) {
	e.summary.Phases = append(e.summary.Phases, Phase{Name: name, Pos: pos, Cached: true})
	e.emit(event{Event: "cached", Name: name, Pos: pos, Summary: summary},
		fmt.Sprintf("==> %s (%s): %s [cached]\n", name, pos, summary))
}

// note tells something about the build that is neither a phase nor a
// problem (which cache it uses).
func (e *events) note(msg string) {
	e.emit(event{Event: "note", Message: msg}, "==> "+msg+"\n")
}

// progress reports one package through a phase of the bootstrap's
// install ("unpacked", "configured": done of count). Only the JSON stream
// carries it: on a terminal the bootstrap draws its own bar.
func (e *events) progress(p debootstrap.Progress) {
	if !e.json {
		return
	}
	e.emit(event{Event: "progress", Name: "bootstrap", Phase: p.Phase, Package: p.Package, Done: p.Done, Count: p.Total}, "")
}

func (e *events) warn(msg string) {
	e.emit(event{Event: "warning", Message: msg}, "warning: "+msg+"\n")
}

func (e *events) failed(err error) {
	e.emit(event{Event: "failed", Message: err.Error()}, "")
}

func (e *events) done() {
	s := e.summary
	var text bytes.Buffer
	fmt.Fprintf(&text, "==> summary\n")
	for _, p := range s.Phases {
		how := fmt.Sprintf("%7.1fs", p.Duration.Seconds())
		if p.Cached {
			how = "  cached"
		}
		fmt.Fprintf(&text, "    %s  %-28s %s\n", how, p.Name, p.Pos)
	}
	fmt.Fprintf(&text, "    %7.1fs  total\n", s.Total.Seconds())
	e.emit(event{Event: "summary", Total: s.Total.Seconds(), Phases: s.Phases}, text.String())
}

// prefixed returns a writer that puts prefix before every line it passes
// on (as JSON "output" events in JSON mode).
func (e *events) prefixed(prefix string) io.Writer {
	return &lineWriter{e: e, prefix: prefix}
}

type lineWriter struct {
	e      *events
	prefix string
	buf    []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		line := string(w.buf[:i])
		w.buf = w.buf[i+1:]
		w.e.emit(event{Event: "output", Name: w.prefix, Message: line}, "    "+w.prefix+line+"\n")
	}
	return len(p), nil
}

func pos(r hclsyn.Range) string {
	if r.Filename == "" {
		return "?"
	}
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}
