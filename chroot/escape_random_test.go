package chroot

import (
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestSymlinkEscapesRandom plants random chains of symlinks (absolute and
// relative targets mixing "..", the canary's host path and other links) in
// a root and runs random operations through them; the canary beside the
// root must stay untouched and unread. The seed is fixed so a failure
// repeats.
func TestSymlinkEscapesRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	ops := make([]string, 0, len(escapeOps))
	for name := range escapeOps {
		ops = append(ops, name)
	}
	sort.Strings(ops)
	for i := 0; i < 60; i++ {
		r, snap := escapeFixture(t)
		canary := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(r.Dir()))), "canary")
		links := plantRandomLinks(t, rng, r, canary)
		before := snap()
		for j := 0; j < 10; j++ {
			op := ops[rng.Intn(len(ops))]
			d, f := links[rng.Intn(len(links))], links[rng.Intn(len(links))]
			read, _ := escapeOps[op](r, d, f)
			if leaked(read) {
				t.Fatalf("%s through %s, %s read the canary: %q", op, d, f, read)
			}
		}
		if after := snap(); after != before {
			t.Fatalf("round %d changed the canary:\nbefore %s\nafter  %s", i, before, after)
		}
	}
}

// plantRandomLinks creates links /l0../l5 and /etc/l0../etc/l5 whose
// targets combine "..", the canary's host path and the other links.
func plantRandomLinks(t *testing.T, rng *rand.Rand, r *Root, canary string) []string {
	parts := []string{"..", "../..", canary, strings.TrimPrefix(canary, "/"), "l1", "l2", "/l3", "etc", ".", "secret"}
	var names []string
	for _, dir := range []string{"", "/etc"} {
		for i := 0; i < 6; i++ {
			n := rng.Intn(4) + 1
			var p []string
			for k := 0; k < n; k++ {
				p = append(p, parts[rng.Intn(len(parts))])
			}
			target := strings.Join(p, "/")
			if rng.Intn(2) == 0 {
				target = "/" + target
			}
			name := dir + "/l" + string(rune('0'+i))
			if err := os.Symlink(target, filepath.Join(r.Dir(), name)); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
	}
	return names
}
