package images_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/provision"
)

// TestUbuntuPlan plans the Ubuntu definitions (their mirrors are out of
// reach here, so they are validated and planned, not built) and checks
// what differs from Debian.
func TestUbuntuPlan(t *testing.T) {
	for _, c := range []struct {
		vars           map[string]string
		suite, mirror  string
		version, ident string
	}{
		{nil, "noble", "http://archive.ubuntu.com/ubuntu", "24.04", `IMAGE_ID="Ubuntu 24.04 (Noble)"`},
		{map[string]string{"suite": "jammy", "arch": "armhf"}, "jammy", "http://ports.ubuntu.com/ubuntu-ports", "22.04", `IMAGE_ID="Ubuntu 22.04 (Jammy)"`},
	} {
		t.Run(c.suite, func(t *testing.T) {
			img := load(t, "ubuntu", c.vars)
			var buf bytes.Buffer
			if err := img.WritePlanJSON(&buf); err != nil {
				t.Fatal(err)
			}
			var plan hcl.Plan
			if err := json.Unmarshal(buf.Bytes(), &plan); err != nil {
				t.Fatalf("plan --json is not JSON: %v\n%s", err, buf.String())
			}
			b := plan.Bootstrap
			if b.Distribution != "ubuntu" || b.Suite != c.suite || b.Mirror != c.mirror || plan.Version != c.version {
				t.Errorf("plan: %s %s %s version %s", b.Distribution, b.Suite, b.Mirror, plan.Version)
			}
			kinds := map[string]string{}
			for _, s := range plan.Steps {
				kinds[s.Kind] += s.Summary + "\n"
			}
			for _, k := range []string{"sysctl", "ntp", "ssh_server", "locale", "network", "service", "console", "file", "cleanup"} {
				if kinds[k] == "" {
					t.Errorf("the plan has no %s step", k)
				}
			}
			if !strings.Contains(kinds["ntp"], "ntp.ubuntu.com") || strings.Contains(kinds["ntp"], "debian") {
				t.Errorf("ntp: %s", kinds["ntp"])
			}
			if !strings.Contains(kinds["service"], "ssh.socket") {
				t.Errorf("ssh.socket is not disabled: %s", kinds["service"])
			}
			if plan.Steps[len(plan.Steps)-1].Kind != "cleanup" {
				t.Errorf("last step: %+v", plan.Steps[len(plan.Steps)-1])
			}
			var rel string
			for _, f := range steps[*provision.File](img) {
				if f.Path == "/etc/ocs-release" {
					rel = *f.Content
				}
			}
			if !strings.Contains(rel, c.ident+"\n") || !strings.Contains(rel, "IMAGE_CODENAME=ubuntu-"+c.suite+"\n") {
				t.Errorf("/etc/ocs-release:\n%s", rel)
			}
		})
	}
}
