package builder_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// stepCache is shared by the tests (and kept between runs) so the base is
// bootstrapped once.
func stepCache() string {
	return filepath.Join(os.Getenv("CHROOTBUILD_TEST_CACHE")+"/var/cache/chrootbuild/test", "steps-build")
}

// definition copies testdata/cache into a temporary folder the test may
// change.
func definition(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("cp", "-a", "testdata/cache/.", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("copying the definition: %v: %s", err, out)
	}
	return dir
}

type result struct {
	res    *builder.Result
	sum    *builder.Summary
	out    string
	log    string
	tarSum [32]byte
}

func runBuild(t *testing.T, def string, vars map[string]string) (*result, error) {
	t.Helper()
	return buildWith(t, def, vars, builder.Options{StepCache: stepCache()})
}

// buildWith builds def with opt (its output folder, package cache and log
// set here) and keeps the log, the result and rootfs.tar's SHA256.
func buildWith(t *testing.T, def string, vars map[string]string, opt builder.Options) (*result, error) {
	t.Helper()
	testenv.RequireRoot(t)
	img, diags := hcl.Load(def, hcl.LoadOptions{Vars: vars})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %v", def, diags)
	}
	var log bytes.Buffer
	r := &result{out: t.TempDir()}
	opt.OutDir, opt.CacheDir, opt.Log = r.out, "/var/cache/chrootbuild", &log
	res, err := builder.Build(context.Background(), img, opt)
	r.log = log.String()
	if res != nil {
		r.res, r.sum = res, res.Summary
	}
	if err == nil {
		b, rerr := os.ReadFile(filepath.Join(r.out, "rootfs.tar"))
		if rerr != nil {
			t.Fatal(rerr)
		}
		r.tarSum = sha256.Sum256(b)
	}
	return r, err
}

func mustBuild(t *testing.T, def string, vars map[string]string) *result {
	t.Helper()
	r, err := runBuild(t, def, vars)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, r.log)
	}
	return r
}

// ran lists the phases that ran (did not come from the cache).
func ran(s *builder.Summary) []string {
	var names []string
	for _, p := range s.Phases {
		if !p.Cached && strings.HasPrefix(p.Name, "step") || p.Name == "bootstrap" && !p.Cached {
			names = append(names, p.Name)
		}
	}
	return names
}

func TestRebuildReusesEverything(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	def := definition(t)
	first := mustBuild(t, def, nil)
	second := mustBuild(t, def, nil)
	if got := ran(second.sum); len(got) != 0 {
		t.Fatalf("an unchanged rebuild ran %v\n%s", got, second.log)
	}
	if first.tarSum != second.tarSum {
		t.Fatal("the cached rebuild's rootfs.tar differs from the first build's")
	}
}

func TestChangesRerunFromFirstAffectedStep(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	def := definition(t)
	mustBuild(t, def, nil)
	// The step cache outlives the test: changed values unique to this run,
	// or a rerun of the same test binary finds them cached already.
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	cases := []struct {
		name   string
		change func()
		vars   map[string]string
		want   []string
	}{
		{"variable of the last step", func() {}, map[string]string{"last": "two " + nonce}, []string{"step 4 file"}},
		{"copied file", func() {
			os.WriteFile(filepath.Join(def, "files/data.txt"), []byte("data two "+nonce+"\n"), 0o644)
		}, nil, []string{"step 2 copy", "step 3 exec", "step 4 file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.change()
			r := mustBuild(t, def, c.vars)
			if got := ran(r.sum); strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Fatalf("ran %v, want %v\n%s", got, c.want, r.log)
			}
		})
	}
}

func TestCorruptedEntryIsRebuilt(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	def := definition(t)
	first := mustBuild(t, def, map[string]string{"last": "corrupt"})
	// Damage what step 1 wrote in its layer.
	layers, _ := filepath.Glob(filepath.Join(stepCache(), "layers", "*", "etc", "first"))
	if len(layers) == 0 {
		t.Fatal("no layer holds /etc/first")
	}
	for _, l := range layers {
		os.WriteFile(l, []byte("damaged\n"), 0o644)
	}
	r := mustBuild(t, def, map[string]string{"last": "corrupt"})
	if !strings.Contains(r.log, "content changed since it was written") {
		t.Fatalf("the damaged entry was not reported:\n%s", r.log)
	}
	if got := ran(r.sum); len(got) == 0 || got[0] != "step 1 file" {
		t.Fatalf("ran %v, want a rebuild from step 1", got)
	}
	if r.tarSum != first.tarSum {
		t.Fatal("the rebuilt image differs from the first build")
	}
}
