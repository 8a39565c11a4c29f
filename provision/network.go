package provision

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Network configures network interfaces, one block per interface:
//
//	provision "network" {
//	  interface "eth0" { dhcp = true }
//	  interface "eth1" {
//	    address = "192.0.2.10/24"
//	    gateway = "192.0.2.1"
//	  }
//	}
//
// With ifupdown installed it writes /etc/network/interfaces.d/NAME
// (`auto NAME` / `iface NAME inet dhcp`) and makes sure
// /etc/network/interfaces sources interfaces.d; otherwise it writes a
// systemd-networkd file /etc/systemd/network/50-NAME.network and enables
// systemd-networkd.service.
type Network struct {
	Interfaces []NetInterface `hcl:"interface,block"` // one block per interface, labelled with its name
}

// NetInterface is one `interface "NAME"` block: DHCP, or a static address
// in CIDR form with an optional gateway.
type NetInterface struct {
	Name    string `hcl:"name,label"`       // the interface name, like eth0
	DHCP    bool   `hcl:"dhcp,optional"`    // configure by DHCP (IPv4); needs a DHCP client with ifupdown
	Address string `hcl:"address,optional"` // a static address in CIDR form, IPv4 or IPv6
	Gateway string `hcl:"gateway,optional"` // the default gateway of a static address
}

func init() {
	register("network", func() Step { return &Network{} })
}

// ifnameRE follows the kernel's rule (at most 15 bytes, no / or space)
// restricted to the characters interface names use in practice.
var ifnameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}$`)

// Check validates the attributes without touching the system.
func (n *Network) Check() error {
	if len(n.Interfaces) == 0 {
		return check.Fieldf("interface", "at least one interface block is needed")
	}
	var errs []error
	seen := map[string]bool{}
	for _, i := range n.Interfaces {
		if seen[i.Name] {
			errs = append(errs, check.Fieldf("interface."+i.Name, "interface %q is configured twice", i.Name))
		}
		seen[i.Name] = true
		errs = append(errs, i.check())
	}
	return errors.Join(errs...)
}

func (i NetInterface) check() error {
	if !ifnameRE.MatchString(i.Name) || i.Name == "lo" {
		return check.Fieldf("interface."+i.Name, "%q is not an interface name (like eth0 or enp1s0, at most 15 characters)", i.Name)
	}
	at := func(attr string) string { return "interface." + i.Name + "." + attr }
	var errs []error
	switch {
	case i.DHCP && i.Address != "":
		errs = append(errs, check.Fieldf(at("address"), "dhcp and a static address exclude each other"))
	case !i.DHCP && i.Address == "":
		errs = append(errs, check.Fieldf(at("dhcp"), "set dhcp = true or a static address"))
	}
	if i.Address != "" {
		if _, err := netip.ParsePrefix(i.Address); err != nil {
			errs = append(errs, check.Fieldf(at("address"), "%q is not an address in CIDR form (like 192.0.2.10/24)", i.Address))
		}
	}
	if i.Gateway != "" {
		if _, err := netip.ParseAddr(i.Gateway); err != nil {
			errs = append(errs, check.Fieldf(at("gateway"), "%q is not an IP address", i.Gateway))
		} else if i.Address == "" {
			errs = append(errs, check.Fieldf(at("gateway"), "a gateway needs a static address"))
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (n *Network) Summary() string {
	parts := make([]string, 0, len(n.Interfaces))
	for _, i := range n.Interfaces {
		if i.DHCP {
			parts = append(parts, i.Name+" dhcp")
		} else {
			parts = append(parts, fmt.Sprintf("%s %s", i.Name, i.Address))
		}
	}
	return "network " + strings.Join(parts, ", ")
}

// Apply writes the configuration for ifupdown when the image has it,
// for systemd-networkd otherwise.
func (n *Network) Apply(ctx context.Context, env *Env) error {
	r := env.Root
	switch {
	case existsIn(r, "/sbin/ifup", "/usr/sbin/ifup"):
		return n.ifupdown(r)
	case existsIn(r, "/lib/systemd/systemd-networkd", "/usr/lib/systemd/systemd-networkd"):
		return n.networkd(r)
	}
	return errors.New("configuring the network: the image has neither ifupdown nor systemd-networkd")
}
