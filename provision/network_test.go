package provision

import (
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
		{"bad name", Network{[]NetInterface{{Name: "eth/0", DHCP: true}}}, "interface"},
		{"too long", Network{[]NetInterface{{Name: "abcdefghijklmnop", DHCP: true}}}, "interface"},
		{"nothing", Network{[]NetInterface{{Name: "eth0"}}}, "dhcp"},
		{"both", Network{[]NetInterface{{Name: "eth0", DHCP: true, Address: "10.0.0.1/8"}}}, "address"},
		{"bad cidr", Network{[]NetInterface{{Name: "eth0", Address: "10.0.0.1"}}}, "address"},
		{"bad gateway", Network{[]NetInterface{{Name: "eth0", Address: "10.0.0.2/8", Gateway: "x"}}}, "gateway"},
		{"twice", Network{[]NetInterface{{Name: "eth0", DHCP: true}, {Name: "eth0", DHCP: true}}}, "interface"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := check.Fields(tc.n.Check())
			if len(fields) != 1 || fields[0].Attr != tc.attr {
				t.Fatalf("Check() = %v, want one error on %q", fields, tc.attr)
			}
		})
	}
}
