package boot

import (
	"regexp"
	"strings"
	"testing"
)

func TestConsoleLines(t *testing.T) {
	// As systemd writes it: colours, and the status line redrawn in place
	// with ESC M and a carriage return.
	console := "[    1.0] Linux version 6.1\n" +
		"\x1b[0;1;31m*\x1b[0m] Job networking.service/start running (3s / 5min)\r\x1bM\x1b[K[\x1b[0;1;31mFAILED\x1b[0m] Failed to start \x1b[0;1;39mssh.service\x1b[0m - OpenBSD Secure Shell server.\n" +
		"See 'systemctl status ssh.service' for details.\n" +
		"[  OK  ] Started getty.\n"
	got := consoleLines(console, regexp.MustCompile(`ssh\.service`), 6)
	want := []string{
		"[FAILED] Failed to start ssh.service - OpenBSD Secure Shell server.",
		"See 'systemctl status ssh.service' for details.",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("consoleLines = %q, want %q", got, want)
	}
	if got := consoleLines(console, regexp.MustCompile(`.`), 1); len(got) != 1 || got[0] != "[  OK  ] Started getty." {
		t.Fatalf("the last line only: %q", got)
	}
	if ev := consoleEvidence(console, regexp.MustCompile(`Oops`), "none"); ev != "none" {
		t.Fatalf("evidence without a match = %q", ev)
	}
	if !failedRE.MatchString(ansiRE.ReplaceAllString(console, "")) {
		t.Fatal("the coloured [FAILED] was not seen")
	}
	if !sshFailedRE.MatchString(ansiRE.ReplaceAllString(console, "")) {
		t.Fatal("sshd's failure was not seen")
	}
}

func TestLoginPrompt(t *testing.T) {
	cases := []struct {
		console, want string
	}{
		{"Debian GNU/Linux 12 cb-1 ttyS0\r\n\r\ncb-1 login: ", "cb-1 login:"},
		{"\r\ncb-d865242d login: \x1b[0;32m  OK  \x1b[0m] Removed slice\r\n", "cb-d865242d login:"},
		{"Starting systemd-logind.service - User Login Management...\n", ""},
		{"Permit User Sessions\nlogin: \n", ""},
	}
	for _, c := range cases {
		if got := lastMatchLine(loginRE, c.console); got != c.want {
			t.Errorf("prompt in %q = %q, want %q", c.console, got, c.want)
		}
	}
}

func TestNTPUses(t *testing.T) {
	cases := []struct {
		lines []string
		want  bool
	}{
		{[]string{"NTP=ntp.int.cloud.online.net", "FallbackNTP=0.debian.pool.ntp.org"}, true},
		{[]string{"NTP=a.example ntp.int.cloud.online.net"}, true},
		{[]string{"NTP=ntp.int.cloud.online.net", "NTP="}, false}, // a later drop-in resets it
		{[]string{"NTP=", "NTP=ntp.int.cloud.online.net"}, true},
		{[]string{"NTP=ntp.int.cloud.online.net", "NTP=b.example"}, true},
		{[]string{"FallbackNTP=ntp.int.cloud.online.net"}, false},
		{[]string{"NTP=ntp.int.cloud.online.net.evil"}, false},
		{nil, false},
	}
	for _, c := range cases {
		if got := ntpUses(c.lines, "ntp.int.cloud.online.net"); got != c.want {
			t.Errorf("ntpUses(%q) = %v, want %v", c.lines, got, c.want)
		}
	}
}
