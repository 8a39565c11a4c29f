package provision

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// treeState describes every entry below the given folders of the root:
// type, mode, owner and content or link target.
func treeState(t *testing.T, env *Env, dirs ...string) map[string]string {
	t.Helper()
	state := map[string]string{}
	for _, d := range dirs {
		base := filepath.Join(env.Root.Dir(), d)
		filepath.WalkDir(base, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			fi, err := os.Lstat(p)
			if err != nil {
				return nil
			}
			st := fi.Sys().(*syscall.Stat_t)
			desc := fmt.Sprintf("%v %d:%d", fi.Mode(), st.Uid, st.Gid)
			switch {
			case fi.Mode()&fs.ModeSymlink != 0:
				target, _ := os.Readlink(p)
				desc += " -> " + target
			case fi.Mode().IsRegular():
				data, _ := os.ReadFile(p)
				desc += fmt.Sprintf(" %x", sha256.Sum256(data))
			}
			state[p] = desc
			return nil
		})
	}
	return state
}

// testIdempotent applies each kind a second time with the same attributes
// and checks that nothing under /etc, /home and /root changes.
func testIdempotent(t *testing.T, env *Env) {
	steps := []struct{ kind, src string }{
		{"group", `name = "idem"`},
		{"user", `name = "idem"
groups = ["adm"]
authorized_keys = ["` + testKey + `"]`},
		{"ssh_server", `settings = { MaxAuthTries = "3" }`},
		{"service", `enable = ["ssh.service", "getty@.service"]
mask = ["apt-daily-upgrade.timer"]`},
		{"console", `disable_vts = true`},
		{"ntp", `servers = ["ntp.example.org"]`},
		{"network", `interface "eth5" { address = "192.0.2.5/24" }`},
		{"kernel_modules", `load = ["nbd"]`},
	}
	for _, s := range steps {
		mustApply(t, env, s.kind, s.src)
	}
	before := treeState(t, env, "etc", "home", "root")
	if len(before) < 100 {
		t.Fatalf("only %d entries under /etc, /home and /root", len(before))
	}
	for _, s := range steps {
		mustApply(t, env, s.kind, s.src)
	}
	after := treeState(t, env, "etc", "home", "root")
	if !maps.Equal(before, after) {
		for k, v := range after {
			if before[k] != v {
				t.Errorf("changed by the second run: %s: %q -> %q", k, before[k], v)
			}
		}
		for k := range before {
			if _, ok := after[k]; !ok {
				t.Errorf("removed by the second run: %s", k)
			}
		}
	}
}
