// Package redact hides sensitive values (a `sensitive` variable, a
// credential read by env() or file(), and what is derived from them) in
// text on its way to a terminal, a log or a JSON stream.
//
// Text scrubbing is the second line: the first is redaction at the
// source, where a value is rendered (plan summaries, diagnostics) knowing
// it is sensitive. A Scrubber replaces only whole values, and only those
// of MinLen characters or more: a shorter one would match ordinary text
// ("s" in every word) and hide nothing.
package redact

import (
	"errors"
	"sort"
	"strings"
)

// MinLen is the shortest value a Scrubber replaces.
const MinLen = 4

// Placeholder stands where a sensitive value was.
const Placeholder = "(sensitive)"

// Scrubber replaces sensitive values in text. The zero value and nil
// replace nothing.
type Scrubber struct {
	r *strings.Replacer
}

// New returns a Scrubber of values; those shorter than MinLen are left
// out, longer ones are tried first.
func New(values ...string) *Scrubber {
	var keep []string
	seen := map[string]bool{}
	for _, v := range values {
		if len(v) >= MinLen && !seen[v] {
			seen[v] = true
			keep = append(keep, v)
		}
	}
	if len(keep) == 0 {
		return &Scrubber{}
	}
	sort.Slice(keep, func(i, j int) bool { return len(keep[i]) > len(keep[j]) })
	pairs := make([]string, 0, 2*len(keep))
	for _, v := range keep {
		pairs = append(pairs, v, Placeholder)
	}
	return &Scrubber{r: strings.NewReplacer(pairs...)}
}

// String returns s with every sensitive value replaced.
func (s *Scrubber) String(text string) string {
	if s == nil || s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// Error returns err, or an error of the same text scrubbed when it held a
// sensitive value. The scrubbed error does not unwrap: the chain below
// still holds the value.
func (s *Scrubber) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := s.String(msg); clean != msg {
		return errors.New(clean)
	}
	return err
}
