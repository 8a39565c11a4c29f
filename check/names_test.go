package check

import "testing"

// TestWithUnitSuffix: names complete as systemctl completes them.
func TestWithUnitSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"ssh":                      "ssh.service",
		"ssh.service":              "ssh.service",
		"getty@tty1":               "getty@tty1.service",
		"getty@":                   "getty@.service",
		"apt-daily.timer":          "apt-daily.timer",
		"systemd-networkd.socket":  "systemd-networkd.socket",
		"dbus.org.freedesktop.foo": "dbus.org.freedesktop.foo.service",
		"multi-user.target":        "multi-user.target",
		"":                         "",
		"../../etc/passwd":         "../../etc/passwd",
	} {
		if got := WithUnitSuffix(in); got != want {
			t.Errorf("WithUnitSuffix(%q) = %q, want %q", in, got, want)
		}
		if want != "" && want[0] != '.' && UnitName("u", want) != nil {
			t.Errorf("UnitName refuses %q", want)
		}
	}
	if UnitName("u", WithUnitSuffix("../../etc/passwd")) == nil {
		t.Error("a path was accepted as a unit")
	}
}
