package redact

import (
	"errors"
	"testing"
)

func TestScrubberReplacesWholeLongValuesOnly(t *testing.T) {
	s := New("s", "abc", "hunter22", "hunter2")
	for in, want := range map[string]string{
		"sss abc":                 "sss abc", // short values are never scrubbed by text
		"password hunter22 done":  "password (sensitive) done",
		"hunter2x hunter22":       "(sensitive)x (sensitive)",
		"nothing here, says sass": "nothing here, says sass",
	} {
		if got := s.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	var none *Scrubber
	if none.String("hunter22") != "hunter22" || New().String("abcd") != "abcd" {
		t.Error("an empty scrubber changed text")
	}
	err := errors.New("logging in with hunter22")
	if got := s.Error(err).Error(); got != "logging in with (sensitive)" {
		t.Errorf("Error = %q", got)
	}
	if plain := errors.New("fine"); s.Error(plain) != plain {
		t.Error("an error without secrets was replaced")
	}
}
