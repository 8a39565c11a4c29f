package provision

import (
	"context"
	"errors"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Hosts sets entries of the image's /etc/hosts:
//
//	provision "hosts" {
//	  entries = {
//	    "127.0.1.1" = ["server"]
//	    "10.0.0.2"  = ["db", "db.internal"]
//	  }
//	}
//
// Each address's line is replaced in place (a second line for the same
// address is dropped) or appended when missing; other lines and comments
// are kept.
type Hosts struct {
	Entries map[string][]string `hcl:"entries"`
}

func init() {
	register("hosts", func() Step { return &Hosts{} })
}

// Check validates the attributes without touching the system.
func (h *Hosts) Check() error {
	var errs []error
	if len(h.Entries) == 0 {
		errs = append(errs, check.Fieldf("entries", "no entries given"))
	}
	for addr, names := range h.Entries {
		if _, err := netip.ParseAddr(addr); err != nil {
			errs = append(errs, check.Fieldf("entries", "%q is not an IP address", addr))
		}
		if len(names) == 0 {
			errs = append(errs, check.Fieldf("entries", "%s has no names", addr))
		}
		for _, n := range names {
			if err := checkHostName(n); err != nil {
				errs = append(errs, check.Fieldf("entries", "%v", err))
			}
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (h *Hosts) Summary() string {
	var parts []string
	for _, a := range slices.Sorted(maps.Keys(h.Entries)) {
		parts = append(parts, a+" "+strings.Join(h.Entries[a], " "))
	}
	return "hosts: " + strings.Join(parts, "; ")
}

// Apply updates /etc/hosts.
func (h *Hosts) Apply(ctx context.Context, env *Env) error { return updateHosts(env, h.Entries) }

// defaultHosts is netbase's /etc/hosts, the start when the image has none
// (minbase images lack netbase), so localhost keeps resolving.
const defaultHosts = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n"

// updateHosts rewrites /etc/hosts in the root with entries merged in.
func updateHosts(env *Env, entries map[string][]string) error {
	old, err := env.Root.ReadFile("/etc/hosts")
	if isNotExist(err) {
		old, err = []byte(defaultHosts), nil
	}
	if err != nil {
		return err
	}
	return putFile(env.Root, "/etc/hosts", []byte(mergeHosts(string(old), entries)), 0o644)
}

// mergeHosts replaces the line of each address in entries (comparing
// parsed addresses, so ::1 and 0::1 match), appends the missing ones in
// address order, and keeps every other line.
func mergeHosts(old string, entries map[string][]string) string {
	want := map[netip.Addr]string{}
	for a, names := range entries {
		ip, err := netip.ParseAddr(a)
		if err == nil {
			want[ip] = a + "\t" + strings.Join(names, " ")
		}
	}
	var out []string
	done := map[netip.Addr]bool{}
	for _, line := range strings.Split(strings.TrimRight(old, "\n"), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			if ip, err := netip.ParseAddr(f[0]); err == nil && want[ip] != "" {
				if !done[ip] {
					out = append(out, want[ip])
					done[ip] = true
				}
				continue
			}
		}
		if line != "" || len(out) > 0 {
			out = append(out, line)
		}
	}
	var add []netip.Addr
	for ip := range want {
		if !done[ip] {
			add = append(add, ip)
		}
	}
	sort.Slice(add, func(i, j int) bool { return add[i].Less(add[j]) })
	for _, ip := range add {
		out = append(out, want[ip])
	}
	return strings.Join(out, "\n") + "\n"
}
