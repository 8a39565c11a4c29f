package boot

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// Report is the outcome of a boot: every check with its evidence.
type Report struct {
	Image   string        `json:"image"`
	Digest  string        `json:"digest,omitempty"` // the booted root archive's sha256, when known
	Passed  bool          `json:"passed"`
	Checks  []Check       `json:"checks"`
	Prepare time.Duration `json:"prepare_ns"`  // making the disk (and fetching the kernel)
	ToLogin time.Duration `json:"to_login_ns"` // QEMU start to login prompt
	ToSSH   time.Duration `json:"to_ssh_ns"`   // QEMU start to a working SSH
	Total   time.Duration `json:"total_ns"`
}

// Check is one verified promise.
type Check struct {
	Name     string `json:"name"`
	Passed   bool   `json:"passed"`
	Evidence string `json:"evidence"`
}

func (r *Report) add(name string, ok bool, evidence string) bool {
	r.Checks = append(r.Checks, Check{Name: name, Passed: ok, Evidence: evidence})
	return ok
}

// Failed returns the checks that failed.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// Write prints the report as text, a line per check.
func (r *Report) Write(w io.Writer) {
	for _, c := range r.Checks {
		mark := "PASS"
		if !c.Passed {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s  %s\n      %s\n", mark, c.Name, c.Evidence)
	}
	fmt.Fprintf(w, "disk ready in %.1fs; from QEMU's start: login prompt after %s, SSH after %s; whole boot check %.1fs\n",
		r.Prepare.Seconds(), seconds(r.ToLogin), seconds(r.ToSSH), r.Total.Seconds())
	if r.Passed {
		fmt.Fprintln(w, "boot: every check passed")
	} else {
		fmt.Fprintf(w, "boot: %d check(s) failed\n", len(r.Failed()))
	}
}

// seconds prints a duration in seconds, or "never" for zero.
func seconds(d time.Duration) string {
	if d == 0 {
		return "never"
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// Save writes the report as JSON to name (through a temporary file), so
// publish and release can refuse an image whose last boot failed.
func (r *Report) Save(name string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("saving the boot report: %w", err)
	}
	return os.Rename(tmp, name)
}

// Load reads a saved report.
func Load(name string) (*Report, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("reading boot report %s: %w", name, err)
	}
	return &r, nil
}

// ReportName is the file, in a build's output folder, that holds the last
// boot report of the image there.
const ReportName = "boot-report.json"
