package provision

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"

	"github.com/chrootbuild/chrootbuild/check"
)

// Service enables, disables and masks systemd units without running
// systemctl:
//
//	provision "service" {
//	  enable  = ["ssh.service", "serial-getty@ttyS0.service"]
//	  disable = ["apt-daily.timer"]
//	  mask    = ["getty@tty1.service"]
//	}
//
// Enabling reads the unit's [Install] section (WantedBy, RequiredBy,
// Alias, Also, DefaultInstance for templates) and creates the same
// symlinks under /etc/systemd/system that `systemctl enable` would;
// disabling removes them; masking links the unit to /dev/null. Units are
// looked up in /etc/systemd/system, /usr/lib/systemd/system and
// /lib/systemd/system; an unknown unit is an error naming it, and so is
// enabling a static unit (no [Install] section) or a masked one. The
// links are the ones `systemctl enable` makes, which the tests check.
//
// As with systemctl, a name without a unit type's suffix is a service:
// enable = ["ssh"] enables ssh.service.
type Service struct {
	Enable  []string `hcl:"enable,optional"`  // units to enable; a template alone uses its DefaultInstance
	Disable []string `hcl:"disable,optional"` // units to disable (a template: all its instances)
	Mask    []string `hcl:"mask,optional"`    // units to mask (link to /dev/null)
}

// unitLists are the service's three lists, each name with its unit type
// suffix (ssh is ssh.service).
type unitLists struct{ enable, disable, mask []string }

func (s *Service) units() unitLists {
	suffixed := func(names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = check.WithUnitSuffix(n)
		}
		return out
	}
	return unitLists{suffixed(s.Enable), suffixed(s.Disable), suffixed(s.Mask)}
}

func init() {
	register("service", func() Step { return &Service{} })
}

// Check validates the attributes without touching the system.
func (s *Service) Check() error {
	var errs []error
	if len(s.Enable)+len(s.Disable)+len(s.Mask) == 0 {
		errs = append(errs, check.Fieldf("", "nothing to do: give enable, disable or mask"))
	}
	u := s.units()
	errs = append(errs, checkOverlap("enable", u.enable, "mask", u.mask), checkOverlap("enable", u.enable, "disable", u.disable))
	for _, set := range []struct {
		attr  string
		units []string
	}{{"enable", s.Enable}, {"disable", s.Disable}, {"mask", s.Mask}} {
		for _, name := range set.units {
			if check.UnitName(set.attr, check.WithUnitSuffix(name)) != nil {
				errs = append(errs, check.Fieldf(set.attr, "%q is not a valid systemd unit name (like ssh or ssh.service; no / or ..)", name))
			}
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (s *Service) Summary() string {
	var parts []string
	u := s.units()
	for _, p := range []struct {
		verb  string
		units []string
	}{{"enable", u.enable}, {"disable", u.disable}, {"mask", u.mask}} {
		if len(p.units) > 0 {
			parts = append(parts, p.verb+" "+strings.Join(p.units, ", "))
		}
	}
	return "services: " + strings.Join(parts, "; ")
}

// Apply disables, then masks, then enables.
func (s *Service) Apply(ctx context.Context, env *Env) error {
	units := s.units()
	for _, u := range units.disable {
		if err := disableUnit(env.Root, u, map[string]bool{}); err != nil {
			return err
		}
	}
	for _, u := range units.mask {
		if err := maskUnit(env.Root, u); err != nil {
			return err
		}
	}
	for _, u := range units.enable {
		if err := enableUnit(env.Root, u, map[string]bool{}); err != nil {
			return err
		}
	}
	return nil
}

// enableUnit creates the unit's [Install] links, then enables its Also=
// units; seen stops Also= cycles.
func enableUnit(r *chroot.Root, name string, seen map[string]bool) error {
	if seen[name] {
		return nil
	}
	seen[name] = true
	f, err := findUnit(r, name, 0)
	if err != nil {
		return fmt.Errorf("enabling %w", err)
	}
	in := parseInstall(f.data)
	if in.empty() {
		return fmt.Errorf("enabling %s: %s has no [Install] section (a static unit, started by other units)", name, f.path)
	}
	inst, err := f.instanceToEnable(in)
	if err != nil {
		return err
	}
	links, err := in.links(inst, f.path)
	if err != nil {
		return fmt.Errorf("enabling %s: %w", name, err)
	}
	for _, l := range links {
		if err := replaceLink(r, l.path, l.target); err != nil {
			return fmt.Errorf("enabling %s: %w", name, err)
		}
	}
	for _, also := range in.also {
		if err := enableUnit(r, also, seen); err != nil {
			return err
		}
	}
	return nil
}

// disableUnit removes the links enabling made (for a template, those of
// every instance) and disables its Also= units. A masked unit is left
// masked.
func disableUnit(r *chroot.Root, name string, seen map[string]bool) error {
	if seen[name] {
		return nil
	}
	seen[name] = true
	f, err := findUnit(r, name, 0)
	if errors.Is(err, errMasked) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("disabling %w", err)
	}
	pattern := f.name.String()
	if f.name.isTemplate() {
		pattern = f.name.prefix + "@*" + f.name.suffix
	}
	for _, dir := range []string{"*.wants", "*.requires", "*.upholds"} {
		if err := removeLinks(r, path.Join(etcUnits, dir, pattern)); err != nil {
			return fmt.Errorf("disabling %s: %w", name, err)
		}
	}
	in := parseInstall(f.data)
	for _, a := range in.alias {
		if a, err := expand(a, f.name); err == nil && !strings.Contains(a, "/") {
			if err := removeLinks(r, path.Join(etcUnits, a)); err != nil {
				return fmt.Errorf("disabling %s: %w", name, err)
			}
		}
	}
	for _, also := range in.also {
		if err := disableUnit(r, also, seen); err != nil {
			return err
		}
	}
	return nil
}

// maskUnit links /etc/systemd/system/NAME to /dev/null; a unit that does
// not exist may be masked, as systemctl allows.
func maskUnit(r *chroot.Root, name string) error {
	if err := replaceLink(r, path.Join(etcUnits, name), "/dev/null"); err != nil {
		return fmt.Errorf("masking %s: %w", name, err)
	}
	return nil
}

// checkOverlap refuses a unit listed in two contradicting lists.
func checkOverlap(attrA string, a []string, attrB string, b []string) error {
	var errs []error
	for _, x := range a {
		if slices.Contains(b, x) {
			errs = append(errs, check.Fieldf(attrA, "%s is also listed in %s", x, attrB))
		}
	}
	return errors.Join(errs...)
}
