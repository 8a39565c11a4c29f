package provision

import (
	"context"
	"testing"
)

// benchUnits are enabled in each iteration; they cover WantedBy, Alias,
// Also and a template instance.
var benchUnits = []string{"ssh.service", "systemd-networkd.service", "serial-getty@ttyS0.service", "fstrim.timer"}

// BenchmarkEnableUnits compares the service step's enabling in Go with
// the peer, the image's own `systemctl enable` run in the root. The links
// are removed (untimed) before each iteration.
func BenchmarkEnableUnits(b *testing.B) {
	r := testEnv(b).Root
	ctx := context.Background()
	reset := func() {
		b.StopTimer()
		for _, u := range benchUnits {
			if err := disableUnit(r, u, map[string]bool{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.Run("step", func(b *testing.B) {
		for range b.N {
			reset()
			for _, u := range benchUnits {
				if err := enableUnit(r, u, map[string]bool{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("systemctl", func(b *testing.B) {
		for range b.N {
			reset()
			if _, err := runIn(ctx, r, append([]string{"systemctl", "enable"}, benchUnits...)...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
