package provision

import (
	"strings"
	"testing"
)

func testGroupApply(t *testing.T, env *Env) {
	mustApply(t, env, "group", `name = "deploy"
gid = 2000`)
	mustApply(t, env, "group", `name = "svc"
system = true`)
	mustApply(t, env, "group", `name = "deploy"`) // exists: nothing to do
	if got := runInRoot(t, env, "getent", "group", "deploy"); got != "deploy:x:2000:\n" {
		t.Errorf("getent group deploy = %q", got)
	}
	f := strings.Split(strings.TrimSpace(runInRoot(t, env, "getent", "group", "svc")), ":")
	if len(f) < 3 || len(f[2]) != 3 || f[2] < "100" || f[2] > "999" {
		t.Errorf("system group svc got gid %v, want 100..999", f)
	}
	if !strings.Contains(readInRoot(t, env, "/etc/gshadow"), "\ndeploy:!::\n") {
		t.Errorf("/etc/gshadow lacks deploy:!::")
	}
	wantPerm(t, env, "/etc/gshadow", 0o640, 0, 42) // root:shadow kept
	wantErr(t, applyStep(t, env, "group", `name = "deploy"
gid = 2001`), "deploy", "2000", "2001")
	wantErr(t, applyStep(t, env, "group", `name = "other"
gid = 2000`), "other", "2000", "taken")
	runInRoot(t, env, "grpck", "-r")
}

func TestGroupCheck(t *testing.T) {
	g := decodeStep(t, "group", `name = "deploy"
system = true`).(*Group)
	if err := g.Check(); err != nil || g.GID != nil || g.Summary() != "system group deploy" {
		t.Fatalf("decoded %+v, Check %v, Summary %q", g, err, g.Summary())
	}
	big := 70000
	for _, g := range []Group{{Name: "-x"}, {Name: "x", GID: &big}} {
		if err := g.Check(); err == nil {
			t.Errorf("Check(%+v) = nil", g)
		}
	}
}
