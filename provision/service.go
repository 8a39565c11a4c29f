package provision

import (
	"context"
	"errors"
	"fmt"

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
// /lib/systemd/system; an unknown unit is an error naming it.
type Service struct {
	Enable  []string `hcl:"enable,optional"`
	Disable []string `hcl:"disable,optional"`
	Mask    []string `hcl:"mask,optional"`
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
	for _, set := range []struct {
		attr  string
		units []string
	}{{"enable", s.Enable}, {"disable", s.Disable}, {"mask", s.Mask}} {
		for _, u := range set.units {
			errs = append(errs, check.UnitName(set.attr, u))
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (s *Service) Summary() string {
	return fmt.Sprintf("services: enable %v, disable %v, mask %v", s.Enable, s.Disable, s.Mask)
}

// Apply changes the unit links.
func (s *Service) Apply(ctx context.Context, env *Env) error {
	return errors.New("service: not implemented yet")
}
