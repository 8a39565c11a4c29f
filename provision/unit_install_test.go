package provision

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseInstall(t *testing.T) {
	unit := `[Unit]
Description=x
WantedBy=not-in-install.target

[Install]
# a comment
; another
WantedBy=multi-user.target \
  graphical.target
RequiredBy=a.target
RequiredBy=
RequiredBy=b.target
Alias=sshd.service
Also=ssh.socket
DefaultInstance=tty1
`
	got := parseInstall(unit)
	want := unitInstall{
		wantedBy: []string{"multi-user.target", "graphical.target"}, requiredBy: []string{"b.target"},
		alias: []string{"sshd.service"}, also: []string{"ssh.socket"}, defaultInstance: "tty1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseInstall = %+v, want %+v", got, want)
	}
	if !parseInstall("[Unit]\nDescription=static\n").empty() {
		t.Errorf("a unit without [Install] is not empty")
	}
}

func TestUnitName(t *testing.T) {
	for _, tc := range []struct {
		in                   string
		template, isInstance bool
		tmpl                 string
	}{
		{"ssh.service", false, false, "@.service"},
		{"getty@.service", true, false, "getty@.service"},
		{"serial-getty@ttyS0.service", false, true, "serial-getty@.service"},
	} {
		u := parseUnitName(tc.in)
		if u.isTemplate() != tc.template || u.isInstance() != tc.isInstance || u.String() != tc.in {
			t.Errorf("parseUnitName(%q) = %+v", tc.in, u)
		}
		if tc.isInstance && u.template() != tc.tmpl {
			t.Errorf("template of %q = %q", tc.in, u.template())
		}
	}
}

func TestExpandSpecifiers(t *testing.T) {
	u := parseUnitName("serial-getty@ttyS0.service")
	got, err := expand("%p-%i.%N.%n%%", u)
	if want := "serial-getty-ttyS0.serial-getty@ttyS0.serial-getty@ttyS0.service%"; err != nil || got != want {
		t.Errorf("expand = %q, %v; want %q", got, err, want)
	}
	if _, err := expand("%H", u); err == nil || !strings.Contains(err.Error(), "%H") {
		t.Errorf("expand(%%H) = %v, want an error naming it", err)
	}
}

func TestInstallLinks(t *testing.T) {
	in := unitInstall{wantedBy: []string{"getty.target"}, requiredBy: []string{"x.target"}, alias: []string{"tty-%i.service"}}
	got, err := in.links(parseUnitName("getty@tty1.service"), "/lib/systemd/system/getty@.service")
	if err != nil {
		t.Fatal(err)
	}
	const tgt = "/lib/systemd/system/getty@.service"
	want := []unitLink{
		{"/etc/systemd/system/getty.target.wants/getty@tty1.service", tgt},
		{"/etc/systemd/system/x.target.requires/getty@tty1.service", tgt},
		{"/etc/systemd/system/tty-tty1.service", tgt},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links = %v, want %v", got, want)
	}
	tmpl := unitInstall{alias: []string{"vt@.service"}}
	got, err = tmpl.links(parseUnitName("getty@tty2.service"), tgt)
	if want := []unitLink{{"/etc/systemd/system/vt@tty2.service", tgt}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("template alias links = %v, %v; want %v", got, err, want)
	}
	bad := unitInstall{wantedBy: []string{"../../x.target"}}
	if _, err := bad.links(parseUnitName("a.service"), "/x"); err == nil {
		t.Errorf("links accepted a WantedBy with /")
	}
}
