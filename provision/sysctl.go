package provision

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Sysctl writes kernel parameters to a sysctl.d drop-in, applied by
// systemd-sysctl (or procps) when the image boots:
//
//	provision "sysctl" {
//	  values = { "vm.min_free_kbytes" = "65536" }
//	  file   = "/etc/sysctl.d/99-chrootbuild.conf"   # the default
//	}
//
// Nothing is applied to the running kernel during the build.
type Sysctl struct {
	Values map[string]string `hcl:"values"`
	File   string            `hcl:"file,optional"`
}

// DefaultSysctlFile is where Sysctl writes unless file is set.
const DefaultSysctlFile = "/etc/sysctl.d/99-chrootbuild.conf"

func init() {
	register("sysctl", func() Step { return &Sysctl{File: DefaultSysctlFile} })
}

// sysctlKeyRE is a key as sysctl.d(5) accepts it: dot- or slash-separated
// names, with an optional leading "-" (ignore failure to set).
var sysctlKeyRE = regexp.MustCompile(`^-?[A-Za-z0-9_][A-Za-z0-9_*:@+-]*([./][A-Za-z0-9_*:@+-]+)*$`)

// Check validates the attributes without touching the system.
func (s *Sysctl) Check() error {
	var errs []error
	if len(s.Values) == 0 {
		errs = append(errs, check.Fieldf("values", "no values given"))
	}
	for k, v := range s.Values {
		if !sysctlKeyRE.MatchString(k) {
			errs = append(errs, check.Fieldf("values", "%q is not a sysctl key (like net.ipv4.ip_forward)", k))
		}
		if strings.ContainsAny(v, "\n\r") {
			errs = append(errs, check.Fieldf("values", "value of %s must be a single line", k))
		}
	}
	errs = append(errs, check.AbsPath("file", s.File))
	if !strings.HasSuffix(s.File, ".conf") {
		errs = append(errs, check.Fieldf("file", "%q must end in .conf, or systemd-sysctl ignores it", s.File))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (s *Sysctl) Summary() string {
	return fmt.Sprintf("sysctl %s in %s", strings.Join(s.lines(), ", "), s.File)
}

func (s *Sysctl) lines() []string {
	keys := make([]string, 0, len(s.Values))
	for k := range s.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + " = " + strings.TrimSpace(s.Values[k])
	}
	return lines
}

// Render returns the drop-in's content, keys sorted.
func (s *Sysctl) Render() string {
	return "# Written by chrootbuild.\n" + strings.Join(s.lines(), "\n") + "\n"
}

// Apply writes the drop-in.
func (s *Sysctl) Apply(ctx context.Context, env *Env) error {
	return putFile(env.Root, s.File, []byte(s.Render()), 0o644)
}
