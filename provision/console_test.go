package provision

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
)

func testConsoleApply(t *testing.T, env *Env) {
	mustApply(t, env, "console", `disable_vts = true`)
	if got := isEnabled(t, env, "serial-getty@ttyS0.service"); got != "enabled" {
		t.Errorf("serial-getty@ttyS0.service is %q", got)
	}
	for _, u := range []string{"getty@tty1.service", "getty@tty6.service"} {
		if got := isEnabled(t, env, u); got != "masked" {
			t.Errorf("%s is %q, want masked", u, got)
		}
	}
	// The drop-in's ExecStart is the suite's own (bookworm's and trixie's
	// differ) with the one speed in place of the list.
	unit := readInRoot(t, env, "/usr/lib/systemd/system/serial-getty@.service")
	own := regexp.MustCompile(`(?m)^ExecStart=(.*)$`).FindStringSubmatch(unit)
	if own == nil {
		t.Fatalf("serial-getty@.service has no ExecStart:\n%s", unit)
	}
	want := strings.Replace(strings.Replace(own[1], "--keep-baud ", "", 1), "115200,57600,38400,9600", "9600", 1)
	drop := readInRoot(t, env, "/etc/systemd/system/serial-getty@ttyS0.service.d/chrootbuild-baud.conf")
	if !strings.HasSuffix(drop, "ExecStart=\nExecStart="+want+"\n") || want == own[1] {
		t.Errorf("serial getty drop-in:\n%s\nwant it to end with ExecStart=%s", drop, want)
	}
	if got := runInRoot(t, env, "systemd-analyze", "cat-config", "systemd/logind.conf"); !strings.Contains(got, "NAutoVTs=0\nReserveVT=0") {
		t.Errorf("systemd-analyze cat-config systemd/logind.conf lacks NAutoVTs=0:\n%s", got)
	}
	runInRoot(t, env, "systemd-analyze", "verify", "--man=no", "serial-getty@ttyS0.service")
}

func TestConsoleCheck(t *testing.T) {
	c := decodeStep(t, "console", `disable_vts = true`).(*Console)
	if c.Serial != "ttyS0" || c.Baud != 9600 || c.Check() != nil {
		t.Fatalf("defaults: %+v, Check %v", c, c.Check())
	}
	for _, tc := range []struct {
		name string
		c    Console
		attr string
	}{
		{"device", Console{Serial: "sda1", Baud: 9600}, "serial"},
		{"path", Console{Serial: "/dev/ttyS0", Baud: 9600}, "serial"},
		{"baud", Console{Serial: "ttyAMA0", Baud: 9601}, "baud"},
		{"nothing", Console{Baud: 9600}, "serial"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := check.Fields(tc.c.Check())
			if len(fields) != 1 || fields[0].Attr != tc.attr {
				t.Fatalf("Check() = %v, want one error on %q", fields, tc.attr)
			}
		})
	}
}

func TestPinBaud(t *testing.T) {
	unit := "[Unit]\nDescription=x\n[Service]\n# comment\nExecStart=-/sbin/agetty -o '-p -- \\\\u' --keep-baud 115200,57600,38400,9600 - $TERM\nType=idle\n"
	got, err := pinBaud(execStart(unit), 9600)
	if want := "-/sbin/agetty -o '-p -- \\\\u' 9600 - $TERM"; err != nil || got != want {
		t.Errorf("pinBaud = %q, %v; want %q", got, err, want)
	}
	if _, err := pinBaud("-/sbin/agetty -o '-p -- \\\\u' --noclear - $TERM", 9600); err == nil {
		t.Errorf("pinBaud accepted a command line without speeds")
	}
	if _, err := pinBaud("/bin/login", 9600); err == nil {
		t.Errorf("pinBaud accepted a command that is not agetty")
	}
}
