package provision

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// Sysctl writes kernel parameters to a sysctl.d drop-in, applied by
// systemd-sysctl (or procps) when the image boots:
//
//	provision "sysctl" {
//	  values = { "vm.min_free_kbytes" = "65536" }
//	  file   = "/etc/sysctl.d/99-chrootbuild.conf"   # the default
//	}
//
// The file must be one systemd-sysctl reads: in a sysctl.d folder, or
// /etc/sysctl.conf on an image that links it into one (bookworm's procps
// and systemd do, /etc/sysctl.d/99-sysctl.conf; trixie's procps no longer
// ships /etc/sysctl.conf and nothing reads it). Nothing is applied to the
// running kernel during the build.
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
	switch {
	case !strings.HasSuffix(s.File, ".conf"):
		errs = append(errs, check.Fieldf("file", "%q must end in .conf, or systemd-sysctl ignores it", s.File))
	case s.File != sysctlConf && !sysctlDirRE.MatchString(path.Dir(s.File)):
		errs = append(errs, check.Fieldf("file", "%q is not in a folder systemd-sysctl reads (like /etc/sysctl.d)", s.File))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (s *Sysctl) Summary() string {
	return fmt.Sprintf("sysctl %s in %s", strings.Join(s.lines(), ", "), s.File)
}

func (s *Sysctl) lines() []string {
	keys := slices.Sorted(maps.Keys(s.Values))
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

// sysctlConf is procps's old main file, read by systemd-sysctl only
// through a link in a sysctl.d folder.
const sysctlConf = "/etc/sysctl.conf"

// sysctlDirRE matches the folders systemd-sysctl reads.
var sysctlDirRE = regexp.MustCompile(`^(/etc|/run|/usr/local/lib|/usr/lib|/lib)/sysctl\.d$`)

// Apply writes the drop-in.
func (s *Sysctl) Apply(ctx context.Context, env *Env) error {
	if s.File == sysctlConf && !sysctlConfRead(env.Root) {
		return fmt.Errorf("writing %s: this image's systemd-sysctl does not read it (no sysctl.d file links to it, as on trixie, whose procps no longer ships it); use a file in /etc/sysctl.d", sysctlConf)
	}
	return putFile(env.Root, s.File, []byte(s.Render()), 0o644)
}

// sysctlConfRead reports whether a file of a sysctl.d folder links to
// /etc/sysctl.conf.
func sysctlConfRead(r *chroot.Root) bool {
	for _, dir := range []string{"/etc/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"} {
		links, _ := r.Glob(dir + "/*.conf")
		for _, l := range links {
			if target, err := resolveLink(r, l); err == nil && target == sysctlConf {
				return true
			}
		}
	}
	return false
}
