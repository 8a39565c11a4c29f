package provision

import (
	"strings"
	"testing"
)

func testKernelModulesApply(t *testing.T, env *Env) {
	mustApply(t, env, "kernel_modules", `load = ["nbd", "loop"]`)
	mustApply(t, env, "kernel_modules", `load = ["loop", "vfio"]`)
	got := readInRoot(t, env, modulesLoadFile)
	if !strings.HasSuffix(got, "\nnbd\nloop\nvfio\n") {
		t.Errorf("%s:\n%s", modulesLoadFile, got)
	}
	if cat := runInRoot(t, env, "systemd-analyze", "cat-config", "modules-load.d/chrootbuild.conf"); !strings.Contains(cat, "nbd\nloop\nvfio") {
		t.Errorf("systemd-analyze cat-config modules-load.d/chrootbuild.conf:\n%s", cat)
	}
}

func TestKernelModulesCheck(t *testing.T) {
	k := decodeStep(t, "kernel_modules", `load = ["nbd", "snd-hda_intel"]`).(*KernelModules)
	if err := k.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	for _, bad := range [][]string{nil, {"../nbd"}, {"nbd loop"}, {""}} {
		if err := (&KernelModules{Load: bad}).Check(); err == nil {
			t.Errorf("Check(%q) = nil", bad)
		}
	}
}
