package builder_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/builder"
	"github.com/chrootbuild/chrootbuild/internal/loopback"
	"github.com/chrootbuild/chrootbuild/internal/s3test"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

const remoteBucket = "stepcache"

// remoteBuild builds def with its own step cache folder and the remote
// cache url, and returns the result.
func remoteBuild(t *testing.T, def, steps, url, mode string, vars map[string]string) *result {
	t.Helper()
	r, err := buildWith(t, def, vars, builder.Options{StepCache: steps, RemoteCache: url, RemoteCacheMode: mode})
	if err != nil {
		t.Fatalf("build: %v\n%s", err, r.log)
	}
	return r
}

// objects lists the remote cache's objects as versitygw's posix backend
// stores them: one file per object under the bucket's folder.
func objects(t *testing.T, s *s3test.Server) []string {
	t.Helper()
	var names []string
	root := filepath.Join(s.Dir, remoteBucket)
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			rel, _ := filepath.Rel(root, p)
			names = append(names, rel)
		}
		return nil
	})
	sort.Strings(names)
	return names
}

// TestRemoteCacheSharesLayers is two builders, each with its own cache
// folder, and one bucket: the second restores the first one's layers and
// output and writes the same bytes; a corrupted object is reported and
// replaced; a stopped server costs one warning and nothing else.
func TestRemoteCacheSharesLayers(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	s := s3test.Start(t, remoteBucket)
	t.Setenv("AWS_ENDPOINT_URL", s.Endpoint)
	url := "s3://" + remoteBucket + "/fleet/"
	def := definition(t)
	vars := map[string]string{"last": "remote " + strconv.FormatInt(time.Now().UnixNano(), 36)}

	a := remoteBuild(t, def, stepCache(), url, "readwrite", vars)
	objs := objects(t, s)
	if len(objs) != 7 { // bootstrap, 4 steps, rootfs.tar, rootfs.spdx.json
		t.Fatalf("after the first build the bucket holds %v, want 5 layers and 2 outputs\n%s", objs, a.log)
	}
	b := remoteBuild(t, def, t.TempDir(), url, "read", vars)
	if got := ran(b.sum); len(got) != 0 {
		t.Fatalf("a builder with an empty cache and a warm remote ran %v\n%s", got, b.log)
	}
	if b.tarSum != a.tarSum {
		t.Fatal("the rootfs.tar restored from the remote cache differs from the first build's")
	}
	fa, errA := os.Stat(filepath.Join(a.out, "rootfs.tar"))
	fb, errB := os.Stat(filepath.Join(b.out, "rootfs.tar"))
	if errA != nil || errB != nil || fa.Mode() != fb.Mode() {
		t.Fatalf("rootfs.tar restored from the remote cache: mode %v, built: %v (%v, %v)", fb.Mode(), fa.Mode(), errB, errA)
	}

	t.Run("corrupt object", func(t *testing.T) {
		layer := filepath.Join(s.Dir, remoteBucket, "fleet", "layers")
		names, _ := filepath.Glob(filepath.Join(layer, "*.tar.s2"))
		victim := newestLayer(t, names)
		if err := os.WriteFile(victim, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
		c := remoteBuild(t, def, t.TempDir(), url, "readwrite", vars)
		if !strings.Contains(c.log, "is corrupt") {
			t.Fatalf("the corrupt object was not reported:\n%s", c.log)
		}
		if c.tarSum != a.tarSum {
			t.Fatal("the image rebuilt past a corrupt object differs")
		}
		d := remoteBuild(t, def, t.TempDir(), url, "read", vars)
		if got := ran(d.sum); len(got) != 0 {
			t.Fatalf("the corrupt object was not replaced: the next builder ran %v\n%s", got, d.log)
		}
	})

	t.Run("stopped server", func(t *testing.T) {
		t.Setenv("AWS_ENDPOINT_URL", "http://"+loopback.FreeAddr(t))
		e := remoteBuild(t, def, stepCache(), url, "readwrite", vars)
		if n := strings.Count(e.log, "warning: remote cache"); n != 1 {
			t.Fatalf("an unreachable remote gave %d warnings, want 1:\n%s", n, e.log)
		}
		if e.tarSum != a.tarSum {
			t.Fatal("the local build beside an unreachable remote differs")
		}
	})
}

// newestLayer returns the most recently written of names: the last
// step's layer.
func newestLayer(t *testing.T, names []string) string {
	t.Helper()
	var best string
	var when time.Time
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && fi.ModTime().After(when) {
			best, when = n, fi.ModTime()
		}
	}
	if best == "" {
		t.Fatal("no layer object in the bucket")
	}
	return best
}

// TestRemoteCacheRace starts two builders at once, each with an empty
// cache folder, on the same new definition: both succeed, the bucket holds
// one object per key, and a third builder restores everything from it.
func TestRemoteCacheRace(t *testing.T) {
	if testenv.Short() {
		t.Skip("bootstraps from the Debian mirror")
	}
	testenv.RequireRoot(t)
	s := s3test.Start(t, remoteBucket)
	bin := testenv.Chrootbuild(t)
	def := definition(t)
	last := "race " + strconv.FormatInt(time.Now().UnixNano(), 36)
	var wg sync.WaitGroup
	outs := make([]string, 2)
	logs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range outs {
		outs[i] = t.TempDir()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cmd := exec.Command(bin, "build", "--out", outs[i], "--step-cache", t.TempDir(),
				"--remote-cache", "s3://"+remoteBucket+"/race/", "--var", "last="+last, def)
			cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+s.Endpoint, "CHROOTBUILD_MOUNTNS=")
			logs[i], errs[i] = cmd.CombinedOutput()
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("builder %d: %v\n%s", i, err, logs[i])
		}
	}
	if objs := objects(t, s); len(objs) != 7 {
		t.Fatalf("the bucket holds %v, want one object per key (5 layers, 2 outputs)", objs)
	}
	// Whichever builder won each key, the bucket holds a consistent chain
	// (keys include the executable's digest: the same binary restores).
	cmd := exec.Command(bin, "build", "--json", "--out", t.TempDir(), "--step-cache", t.TempDir(),
		"--remote-cache", "s3://"+remoteBucket+"/race/", "--remote-cache-mode", "read", "--var", "last="+last, def)
	cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+s.Endpoint, "CHROOTBUILD_MOUNTNS=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("third builder: %v\n%s", err, out)
	}
	if got := ranJSON(t, out); len(got) != 0 {
		t.Fatalf("a third builder ran %v after the race instead of restoring\n%s", got, out)
	}
}
