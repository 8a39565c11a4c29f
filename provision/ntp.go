package provision

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// NTP points the image's time client at the given servers:
//
//	provision "ntp" {
//	  servers  = ["ntp.int.cloud.online.net"]
//	  fallback = ["0.debian.pool.ntp.org", "1.debian.pool.ntp.org"]
//	}
//
// The client is the one the image has: systemd-timesyncd (a drop-in in
// /etc/systemd/timesyncd.conf.d with NTP= and FallbackNTP=), chrony (a
// sources file in /etc/chrony/sources.d) or ntpd/ntpsec (server lines in
// its ntp.conf). A root with none of them is an error: install one first.
type NTP struct {
	Servers  []string `hcl:"servers"`
	Fallback []string `hcl:"fallback,optional"`
}

func init() {
	register("ntp", func() Step { return &NTP{} })
}

var hostRE = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$|^[0-9a-fA-F:]+$`)

// Check validates the attributes without touching the system.
func (n *NTP) Check() error {
	var errs []error
	if len(n.Servers) == 0 {
		errs = append(errs, check.Fieldf("servers", "at least one server is needed"))
	}
	errs = append(errs, checkHosts("servers", n.Servers), checkHosts("fallback", n.Fallback))
	return errors.Join(errs...)
}

func checkHosts(attr string, hosts []string) error {
	var errs []error
	for _, h := range hosts {
		if len(h) > 253 || !hostRE.MatchString(h) {
			errs = append(errs, check.Fieldf(attr, "%q is not a host name or IP address", h))
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (n *NTP) Summary() string {
	s := "ntp " + strings.Join(n.Servers, ", ")
	if len(n.Fallback) > 0 {
		s += fmt.Sprintf(" (fallback %s)", strings.Join(n.Fallback, ", "))
	}
	return s
}

// Apply configures the installed time client.
func (n *NTP) Apply(ctx context.Context, env *Env) error {
	return errors.New("ntp: not implemented yet")
}
