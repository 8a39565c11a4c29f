package debootstrap

import (
	"fmt"
	"strings"
	"time"
)

// releaseTimeLayouts are the forms of a Release file's dates apt accepts
// (RFC 1123 with a zone name or a numeric offset, one- or two-digit day).
var releaseTimeLayouts = []string{
	"Mon, 02 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700",
}

// parseReleaseTime reads a Date or Valid-Until value.
func parseReleaseTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range releaseTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("malformed %s %q (want RFC 1123, like \"Sat, 10 Jun 2023 08:30:00 UTC\")", field, s)
}

// checkRelease refuses, as apt does, a validly signed Release that is
// not the one asked for: another suite's (a mirror could serve an old
// suite's signed Release under this suite's name) or one past its
// Valid-Until (a replay of an old Release that hides security updates),
// unless allowExpired (snapshot archives keep their old Release files).
func checkRelease(rel *release, suite string, allowExpired bool, now time.Time) error {
	if rel.Suite != suite && rel.Codename != suite {
		return fmt.Errorf("it names suite %q and codename %q, neither is %s: the mirror serves another suite's Release under this name",
			rel.Suite, rel.Codename, suite)
	}
	if rel.ValidUntil.IsZero() || !now.After(rel.ValidUntil) {
		return nil
	}
	if allowExpired {
		return nil
	}
	return fmt.Errorf("it expired on %s (Valid-Until), %s ago: an old Release replayed looks the same; "+
		"for a snapshot archive set allow_expired = true in the bootstrap block (--allow-expired on the command line)",
		rel.ValidUntil.UTC().Format(time.RFC1123), now.Sub(rel.ValidUntil).Round(time.Second))
}
