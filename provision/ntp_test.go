package provision

import (
	"strings"
	"testing"
)

func testNTPApply(t *testing.T, env *Env) {
	mustApply(t, env, "ntp", `servers = ["ntp.int.cloud.online.net"]
fallback = ["0.debian.pool.ntp.org"]`)
	got := runInRoot(t, env, "systemd-analyze", "cat-config", "systemd/timesyncd.conf")
	if !strings.Contains(got, "# /etc/systemd/timesyncd.conf.d/chrootbuild.conf") ||
		!strings.Contains(got, "NTP=ntp.int.cloud.online.net\nFallbackNTP=0.debian.pool.ntp.org\n") {
		t.Errorf("systemd-analyze cat-config systemd/timesyncd.conf:\n%s", got)
	}
}

func TestNTPCheckAndRender(t *testing.T) {
	n := decodeStep(t, "ntp", `servers = ["ntp.int.cloud.online.net", "192.0.2.1"]`).(*NTP)
	if err := n.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got, want := n.timesyncdConf(), "[Time]\nNTP=ntp.int.cloud.online.net 192.0.2.1\n"; !strings.HasSuffix(got, want) {
		t.Errorf("timesyncd drop-in without fallback:\n%s", got)
	}
	n.Fallback = []string{"0.debian.pool.ntp.org", "time.example.org"}
	want := "server ntp.int.cloud.online.net iburst prefer\nserver 192.0.2.1 iburst prefer\npool 0.debian.pool.ntp.org iburst\nserver time.example.org iburst\n"
	if got := n.sourceLines(); !strings.HasSuffix(got, want) {
		t.Errorf("sourceLines =\n%s\nwant it to end with\n%s", got, want)
	}
	conf, changed := commentNTPSources("# comment\npool 2.debian.pool.ntp.org iburst\nserver x\ndriftfile /var/lib/chrony/drift\n")
	if !changed || strings.Contains(conf, "\npool ") || strings.Contains(conf, "\nserver ") || !strings.Contains(conf, "\ndriftfile ") {
		t.Errorf("commentNTPSources:\n%s", conf)
	}
	for _, bad := range []NTP{{}, {Servers: []string{"ntp server"}}, {Servers: []string{"a"}, Fallback: []string{"-bad-.org"}}} {
		if err := bad.Check(); err == nil {
			t.Errorf("Check(%+v) = nil", bad)
		}
	}
}
