package provision

import (
	"context"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Hostname sets the image's host name:
//
//	provision "hostname" {
//	  name = "server"
//	}
//
// It writes /etc/hostname and, as Debian's installer does, maps the name
// to 127.0.1.1 in /etc/hosts (its first label as an alias when the name is
// fully qualified), so that sudo and friends resolve it offline. Other
// /etc/hosts lines are kept.
type Hostname struct {
	Name string `hcl:"name"`
}

func init() {
	register("hostname", func() Step { return &Hostname{} })
}

// Check validates the attributes without touching the system.
func (h *Hostname) Check() error {
	if err := checkHostName(h.Name); err != nil {
		return check.Fieldf("name", "%v", err)
	}
	return nil
}

// checkHostName checks RFC 1123 syntax: dot-separated labels of 1 to 63
// letters, digits and hyphens, not starting or ending with a hyphen, at
// most 253 characters in all.
func checkHostName(s string) error {
	if s == "" || len(s) > 253 {
		return fmt.Errorf("%q is not a host name: must be 1 to 253 characters", s)
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q is not a host name (RFC 1123): label %q must be 1 to 63 characters, not starting or ending with -", s, label)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("%q is not a host name (RFC 1123): %q is not a letter, digit or -", s, c)
			}
		}
	}
	return nil
}

// Summary is a one-line description.
func (h *Hostname) Summary() string { return "hostname " + h.Name }

// Apply writes /etc/hostname and the 127.0.1.1 line of /etc/hosts.
func (h *Hostname) Apply(ctx context.Context, env *Env) error {
	if err := putFile(env.Root, "/etc/hostname", []byte(h.Name+"\n"), 0o644); err != nil {
		return err
	}
	names := []string{h.Name}
	if short, _, ok := strings.Cut(h.Name, "."); ok {
		names = append(names, short)
	}
	return updateHosts(env, map[string][]string{"127.0.1.1": names})
}
