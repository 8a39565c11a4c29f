package provision

import (
	"context"
	"fmt"
	"regexp"

	"github.com/chrootbuild/chrootbuild/check"
)

// Timezone sets the image's time zone:
//
//	provision "timezone" {
//	  zone = "Europe/Paris"
//	}
//
// It points /etc/localtime at the zone's file in the image's
// /usr/share/zoneinfo, which glibc and systemd read, and, when the image
// has /etc/timezone (tzdata up to bookworm, jammy and noble write it;
// trixie's no longer does, and only updates one that exists), writes the
// zone's name there too, as tzdata's own configuration does. The zone
// must exist in the image (which needs tzdata).
type Timezone struct {
	Zone string `hcl:"zone"`
}

func init() {
	register("timezone", func() Step { return &Timezone{} })
}

// zoneRE is UTC or an Area/City name like Europe/Paris or
// America/Argentina/Buenos_Aires.
var zoneRE = regexp.MustCompile(`^(UTC|[A-Z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){1,2})$`)

// Check validates the attributes without touching the system.
func (z *Timezone) Check() error {
	if !zoneRE.MatchString(z.Zone) {
		return check.Fieldf("zone", "%q is not a time zone name (like UTC or Europe/Paris)", z.Zone)
	}
	return nil
}

// Summary is a one-line description.
func (z *Timezone) Summary() string { return "timezone " + z.Zone }

// Apply writes the /etc/localtime link, and /etc/timezone when the image
// keeps one.
func (z *Timezone) Apply(ctx context.Context, env *Env) error {
	zoneFile := "/usr/share/zoneinfo/" + z.Zone
	fi, err := env.Root.Stat(zoneFile)
	if err != nil || !fi.Mode().IsRegular() {
		return fmt.Errorf("time zone %s: %s is missing in the image (is tzdata installed?)", z.Zone, zoneFile)
	}
	if _, err := env.Root.Lstat("/etc/timezone"); err == nil {
		if err := putFile(env.Root, "/etc/timezone", []byte(z.Zone+"\n"), 0o644); err != nil {
			return err
		}
	}
	return (&Symlink{Path: "/etc/localtime", Target: zoneFile}).Apply(ctx, env)
}
