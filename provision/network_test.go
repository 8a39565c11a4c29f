package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
)

func TestNetworkDecodeAndCheck(t *testing.T) {
	n := decodeStep(t, "network", `
interface "eth0" { dhcp = true }
interface "eth1" {
  address = "192.0.2.10/24"
  gateway = "192.0.2.1"
}
`).(*Network)
	if len(n.Interfaces) != 2 || n.Interfaces[0].Name != "eth0" || !n.Interfaces[0].DHCP || n.Interfaces[1].Gateway != "192.0.2.1" {
		t.Fatalf("decoded %+v", n)
	}
	if err := n.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got, want := n.Summary(), "network eth0 dhcp, eth1 192.0.2.10/24"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}

func TestNetworkCheckErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    Network
		attr string
	}{
		{"none", Network{}, "interface"},
		{"bad name", Network{[]NetInterface{{Name: "eth/0", DHCP: true}}}, "interface.eth/0"},
		{"too long", Network{[]NetInterface{{Name: "abcdefghijklmnop", DHCP: true}}}, "interface.abcdefghijklmnop"},
		{"nothing", Network{[]NetInterface{{Name: "eth0"}}}, "interface.eth0.dhcp"},
		{"both", Network{[]NetInterface{{Name: "eth0", DHCP: true, Address: "10.0.0.1/8"}}}, "interface.eth0.address"},
		{"bad cidr", Network{[]NetInterface{{Name: "eth0", Address: "10.0.0.1"}}}, "interface.eth0.address"},
		{"bad gateway", Network{[]NetInterface{{Name: "eth0", Address: "10.0.0.2/8", Gateway: "x"}}}, "interface.eth0.gateway"},
		{"twice", Network{[]NetInterface{{Name: "eth0", DHCP: true}, {Name: "eth0", DHCP: true}}}, "interface.eth0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := check.Fields(tc.n.Check())
			if len(fields) != 1 || fields[0].Attr != tc.attr {
				t.Fatalf("Check() = %v, want one error on %q", fields, tc.attr)
			}
		})
	}
}

func testNetworkApply(t *testing.T, env *Env) {
	mustApply(t, env, "network", `interface "eth0" { dhcp = true }
interface "eth1" {
  address = "192.0.2.10/24"
  gateway = "192.0.2.1"
}`)
	if got := readInRoot(t, env, "/etc/network/interfaces.d/eth0"); !strings.HasSuffix(got, "auto eth0\niface eth0 inet dhcp\n") {
		t.Errorf("interfaces.d/eth0:\n%s", got)
	}
	if got := runInRoot(t, env, "ifquery", "--list"); got != "lo\neth0\neth1\n" {
		t.Errorf("ifquery --list = %q", got)
	}
	if got := runInRoot(t, env, "ifquery", "eth1"); !strings.Contains(got, "address: 192.0.2.10\ngateway: 192.0.2.1\n") || !strings.Contains(got, "netmask: 255.255.255.0") {
		t.Errorf("ifquery eth1 = %q", got)
	}
	os.WriteFile(filepath.Join(env.Root.Dir(), "etc/network/interfaces"), []byte("iface eth2 inet manual\n"), 0o644)
	wantErr(t, applyStep(t, env, "network", `interface "eth2" { dhcp = true }`), "eth2", "/etc/network/interfaces")
	os.Remove(filepath.Join(env.Root.Dir(), "sbin/dhclient"))
	wantErr(t, applyStep(t, env, "network", `interface "eth3" { dhcp = true }`), "eth3", "DHCP client")

	// Without ifupdown: systemd-networkd, whose own search path finds the
	// file (systemd-analyze cat-config reads it as networkd does).
	os.Remove(filepath.Join(env.Root.Dir(), "usr/sbin/ifup"))
	mustApply(t, env, "network", "interface \"eth4\" {\n  address = \"2001:db8::4/64\"\n  gateway = \"2001:db8::1\"\n}")
	got := runInRoot(t, env, "systemd-analyze", "cat-config", "systemd/network/50-eth4.network")
	if !strings.Contains(got, "# /etc/systemd/network/50-eth4.network") || !strings.Contains(got, "Name=eth4\n") ||
		!strings.Contains(got, "Address=2001:db8::4/64\nGateway=2001:db8::1\n") {
		t.Errorf("systemd-analyze cat-config systemd/network/50-eth4.network:\n%s", got)
	}
	if got := isEnabled(t, env, "systemd-networkd.service"); got != "enabled" {
		t.Errorf("systemd-networkd.service is %q", got)
	}
}
