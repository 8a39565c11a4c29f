package builder

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/debootstrap"
)

// TestBootstrapSummaryNamesResolvedArch checks the bootstrap's opening
// line names the architecture and variant even when the definition leaves
// them to the defaults.
func TestBootstrapSummaryNamesResolvedArch(t *testing.T) {
	o := debootstrap.Options{Distribution: "debian", Suite: "bookworm"}
	got := bootstrapSummary(o)
	if want := "debian bookworm " + o.ResolvedArch() + " minbase"; got != want || o.ResolvedArch() == "" {
		t.Errorf("summary = %q, want %q", got, want)
	}
	o.Arch, o.Variant = "arm64", "standard"
	if got := bootstrapSummary(o); got != "debian bookworm arm64 standard" {
		t.Errorf("summary = %q", got)
	}
}

// TestProgressEvents checks the install's progress reaches the JSON
// stream as progress events and stays off the text stream (the bootstrap
// draws its own bar there).
func TestProgressEvents(t *testing.T) {
	var out bytes.Buffer
	e := newEvents(&out, true, nil)
	e.progress(debootstrap.Progress{Phase: "configured", Package: "apt", Done: 3, Total: 88})
	var ev map[string]any
	if err := json.Unmarshal(out.Bytes(), &ev); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if ev["event"] != "progress" || ev["phase"] != "configured" || ev["package"] != "apt" || ev["done"] != 3.0 || ev["count"] != 88.0 {
		t.Errorf("event = %v", ev)
	}
	var text bytes.Buffer
	newEvents(&text, false, nil).progress(debootstrap.Progress{Phase: "unpacked", Done: 1, Total: 2})
	if strings.TrimSpace(text.String()) != "" {
		t.Errorf("text stream got %q", text.String())
	}
}
