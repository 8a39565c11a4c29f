package provision

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
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
// its ntp.conf). chrony and ntpd have no fallback list: their own pool
// lines are commented out, the servers are marked prefer and the fallback
// ones added after them. A root with none of these clients is an error:
// install one first.
type NTP struct {
	Servers  []string `hcl:"servers"`           // the servers to use
	Fallback []string `hcl:"fallback,optional"` // used when the servers do not answer; default: the client's own
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

// Apply configures every time client the image has; none is an error.
func (n *NTP) Apply(ctx context.Context, env *Env) error {
	r := env.Root
	done := 0
	for _, c := range ntpClients {
		if !existsIn(r, c.binaries...) {
			continue
		}
		if err := c.apply(n, r); err != nil {
			return err
		}
		done++
	}
	if done == 0 {
		return errors.New("configuring ntp: no time client in the image (install systemd-timesyncd, chrony or ntpsec first)")
	}
	return nil
}

// ntpClients are the time clients ntp knows, by the program that shows
// one is installed.
var ntpClients = []struct {
	binaries []string
	apply    func(*NTP, *chroot.Root) error
}{
	{[]string{"/lib/systemd/systemd-timesyncd", "/usr/lib/systemd/systemd-timesyncd"}, (*NTP).timesyncd},
	{[]string{"/usr/sbin/chronyd", "/sbin/chronyd"}, (*NTP).chrony},
	{[]string{"/usr/sbin/ntpd", "/sbin/ntpd"}, (*NTP).ntpd},
}

// existsIn reports whether one of names exists in the root (following
// links inside it).
func existsIn(r *chroot.Root, names ...string) bool {
	for _, n := range names {
		if _, err := r.Stat(n); err == nil {
			return true
		}
	}
	return false
}

const timesyncdDropIn = "/etc/systemd/timesyncd.conf.d/chrootbuild.conf"

func (n *NTP) timesyncd(r *chroot.Root) error {
	return writeConf(r, timesyncdDropIn, n.timesyncdConf())
}

// timesyncdConf renders the drop-in; without fallback servers timesyncd
// keeps its built-in fallback (the distribution's pool).
func (n *NTP) timesyncdConf() string {
	s := "# Written by chrootbuild (provision \"ntp\").\n[Time]\nNTP=" + strings.Join(n.Servers, " ") + "\n"
	if len(n.Fallback) > 0 {
		s += "FallbackNTP=" + strings.Join(n.Fallback, " ") + "\n"
	}
	return s
}

// chrony reads sources.d; the distribution's pool lines in chrony.conf
// are commented out so the servers come first, and the fallback servers
// take their place.
func (n *NTP) chrony(r *chroot.Root) error {
	if err := editRootFile(r, "/etc/chrony/chrony.conf", func(c string) (string, bool) {
		c, changed := commentNTPSources(c)
		if !strings.Contains(c, "sourcedir /etc/chrony/sources.d") {
			c, changed = c+"sourcedir /etc/chrony/sources.d\n", true
		}
		return c, changed
	}); err != nil {
		return err
	}
	return writeConf(r, "/etc/chrony/sources.d/chrootbuild.sources", n.sourceLines())
}

// ntpd (ntpsec or the classic ntp) has no drop-in folder: its server
// lines are replaced in place.
func (n *NTP) ntpd(r *chroot.Root) error {
	for _, conf := range []string{"/etc/ntpsec/ntp.conf", "/etc/ntp.conf"} {
		if existsIn(r, conf) {
			return editRootFile(r, conf, func(c string) (string, bool) {
				c, _ = commentNTPSources(c)
				return c + n.sourceLines(), true
			})
		}
	}
	return errors.New("configuring ntpd: neither /etc/ntpsec/ntp.conf nor /etc/ntp.conf exists")
}

// sourceLines are chrony and ntpd source lines: the servers preferred,
// the fallback after them (pool when the name is a pool).
func (n *NTP) sourceLines() string {
	s := "# Written by chrootbuild (provision \"ntp\").\n"
	for _, h := range n.Servers {
		s += "server " + h + " iburst prefer\n"
	}
	for _, h := range n.Fallback {
		kind := "server"
		if strings.Contains(h, "pool") {
			kind = "pool"
		}
		s += kind + " " + h + " iburst\n"
	}
	return s
}

// commentNTPSources comments out the server and pool lines of an ntpd or
// chrony configuration.
func commentNTPSources(conf string) (string, bool) {
	lines := strings.Split(conf, "\n")
	changed := false
	for i, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "server" || f[0] == "pool") {
			lines[i] = "#" + l + " # replaced by chrootbuild (provision \"ntp\")"
			changed = true
		}
	}
	return strings.Join(lines, "\n"), changed
}

// writeConf writes a 0644 configuration file, creating its folder.
func writeConf(r *chroot.Root, name, content string) error {
	if err := r.MkdirAll(path.Dir(name), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", path.Dir(name), err)
	}
	if err := r.WriteFile(name, []byte(content), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
