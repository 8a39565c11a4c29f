package debootstrap

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestReleaseSuiteAndExpiry signs (with the archive's key, so only these
// checks can refuse them) Release files that apt refuses: one
// naming another suite, one past its Valid-Until (accepted with
// allow_expired), one with a Valid-Until it cannot read.
func TestReleaseSuiteAndExpiry(t *testing.T) {
	r := newTestRepo(t, localPkgs[:3])
	data, _ := os.ReadFile(r.Keyring)
	keys, err := parseKeyring(data)
	if err != nil {
		t.Fatal(err)
	}
	stamp := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC1123) }
	tests := []struct {
		name, header string
		allowExpired bool
		err          string // "" means accepted
	}{
		{"another suite", "Origin: test\nSuite: stable\nCodename: bookworm\n", false,
			`checking the Release file of suite test on ` + r.Server.URL + `: it names suite "stable" and codename "bookworm", neither is test`},
		{"no suite", "Origin: test\n", false, `it names suite "" and codename "", neither is test`},
		{"codename matches", "Origin: test\nSuite: testing\nCodename: test\n", false, ""},
		{"suite matches", "Origin: test\nSuite: test\nCodename: other\n", false, ""},
		{"expired", "Suite: test\nValid-Until: " + stamp(-48*time.Hour) + "\n", false,
			"it expired on " + stamp(-48 * time.Hour)[:16]},
		{"expired, allowed", "Suite: test\nValid-Until: " + stamp(-48*time.Hour) + "\n", true, ""},
		{"valid", "Suite: test\nValid-Until: " + stamp(time.Hour) + "\n", false, ""},
		{"numeric zone", "Suite: test\nValid-Until: " + time.Now().Add(-time.Hour).Format(time.RFC1123Z) + "\n", false, "it expired on"},
		{"malformed", "Suite: test\nValid-Until: tomorrow\n", true, `malformed Valid-Until "tomorrow"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r.Header = tc.header
			r.Sign(t)
			a, _ := openLocal(t, r, r.Keyring)
			a.allowExpired = tc.allowExpired
			err := a.openRelease(context.Background(), keys, io.Discard)
			if tc.err == "" && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("got %v, want an error containing %q", err, tc.err)
			}
			if strings.HasPrefix(tc.name, "expired") && err != nil && !strings.Contains(err.Error(), "allow_expired = true") {
				t.Errorf("the error does not say how to accept a snapshot archive: %v", err)
			}
		})
	}
}

// TestAllowExpiredReachesArchive checks the option is carried to the
// Release check.
func TestAllowExpiredReachesArchive(t *testing.T) {
	for _, allow := range []bool{false, true} {
		b, err := newBuilder(t.TempDir(), Options{Suite: "test", Arch: "amd64", CacheDir: t.TempDir(), AllowExpired: allow})
		if err != nil || b.archive.allowExpired != allow {
			t.Errorf("AllowExpired %v: archive has %v (%v)", allow, b.archive.allowExpired, err)
		}
	}
}
