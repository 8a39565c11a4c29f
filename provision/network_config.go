package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

const interfacesFile = "/etc/network/interfaces"

// dhcpClients are the programs ifupdown can run for `inet dhcp`.
var dhcpClients = []string{"/sbin/dhclient", "/usr/sbin/dhclient", "/sbin/dhcpcd", "/usr/sbin/dhcpcd", "/sbin/udhcpc", "/usr/sbin/udhcpc", "/sbin/pump"}

func (n *Network) ifupdown(r *chroot.Root) error {
	for _, i := range n.Interfaces {
		if i.DHCP && !existsIn(r, dhcpClients...) {
			return fmt.Errorf("configuring %s: dhcp needs a DHCP client, and the image has none (install isc-dhcp-client)", i.Name)
		}
	}
	main, err := r.ReadFile(interfacesFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", interfacesFile, err)
	}
	for _, i := range n.Interfaces {
		if ifaceDefined(string(main), i.Name) {
			return fmt.Errorf("configuring %s: %s already has an iface %s stanza", i.Name, interfacesFile, i.Name)
		}
		if err := writeConf(r, "/etc/network/interfaces.d/"+i.Name, i.ifupdownStanza()); err != nil {
			return err
		}
	}
	if len(main) == 0 {
		main = []byte("auto lo\niface lo inet loopback\n")
	}
	if !sourcesInterfacesD(string(main)) {
		main = append(main, "\nsource /etc/network/interfaces.d/*\n"...)
		return writeConf(r, interfacesFile, string(main))
	}
	return nil
}

// ifupdownStanza is the interfaces(5) stanza of one interface.
func (i NetInterface) ifupdownStanza() string {
	s := "# Written by chrootbuild (provision \"network\").\nauto " + i.Name + "\n"
	if i.DHCP {
		return s + "iface " + i.Name + " inet dhcp\n"
	}
	family := "inet"
	if p, err := netip.ParsePrefix(i.Address); err == nil && p.Addr().Is6() {
		family = "inet6"
	}
	s += "iface " + i.Name + " " + family + " static\n    address " + i.Address + "\n"
	if i.Gateway != "" {
		s += "    gateway " + i.Gateway + "\n"
	}
	return s
}

// ifaceDefined reports whether an interfaces(5) file has a stanza for
// name, which a second one in interfaces.d would clash with.
func ifaceDefined(conf, name string) bool {
	for _, l := range strings.Split(conf, "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "iface" && f[1] == name {
			return true
		}
	}
	return false
}

// sourcesInterfacesD reports whether the main interfaces file reads the
// files of interfaces.d.
func sourcesInterfacesD(conf string) bool {
	for _, l := range strings.Split(conf, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && (f[0] == "source" || f[0] == "source-directory") && strings.HasPrefix(f[1], "/etc/network/interfaces.d") {
			return true
		}
	}
	return false
}

func (n *Network) networkd(r *chroot.Root) error {
	for _, i := range n.Interfaces {
		if err := writeConf(r, "/etc/systemd/network/50-"+i.Name+".network", i.networkdFile()); err != nil {
			return err
		}
	}
	return enableUnit(r, "systemd-networkd.service", map[string]bool{})
}

// networkdFile is the systemd.network(5) file of one interface.
func (i NetInterface) networkdFile() string {
	s := "# Written by chrootbuild (provision \"network\").\n[Match]\nName=" + i.Name + "\n\n[Network]\n"
	if i.DHCP {
		return s + "DHCP=yes\n"
	}
	s += "Address=" + i.Address + "\n"
	if i.Gateway != "" {
		s += "Gateway=" + i.Gateway + "\n"
	}
	return s
}
