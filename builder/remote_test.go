package builder_test

import (
	"archive/tar"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"

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
// the output worth fetching and writes the same bytes; a corrupted object is reported and
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
	// bootstrap, 4 steps, rootfs.spdx.json; rootfs.tar (more than 32 MB)
	// usually packs faster than it would come from a bucket: it is not
	// uploaded, the build says so, and the second builder packs it again
	// from the layers it restores. The rule is about time (its edges are
	// TestWorthFetching's): packed beside the manifest on a busy machine,
	// the tar may take long enough to be uploaded, and then no note.
	note := strings.Contains(a.log, "rootfs.tar: not uploaded to the remote cache")
	if want := map[bool]int{true: 6, false: 7}[note]; len(objs) != want {
		t.Fatalf("after the first build the bucket holds %v, want 5 layers and %d outputs (note that rootfs.tar stays local: %v)\n%s",
			objs, want-5, note, a.log)
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
		victim := lastLayer(t, names)
		if err := os.WriteFile(victim, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
		c := remoteBuild(t, def, t.TempDir(), url, "readwrite", vars)
		if !strings.Contains(c.log, "is corrupt") {
			t.Fatalf("the corrupt object was not reported:\n%s", c.log)
		}
		if c.tarSum != a.tarSum {
			t.Fatalf("the image rebuilt past a corrupt object (%s) differs; it ran %v", filepath.Base(victim), ran(c.sum))
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

// lastLayer returns the object of names whose manifest has the longest
// chain: the last step's layer (the uploads run side by side, so the
// newest object may be any layer, the bootstrap's often).
func lastLayer(t *testing.T, names []string) string {
	t.Helper()
	var best string
	longest := 0
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(s2.NewReader(f))
		var m struct{ Chain []string }
		if _, err := tr.Next(); err == nil && json.NewDecoder(tr).Decode(&m) == nil && len(m.Chain) > longest {
			best, longest = n, len(m.Chain)
		}
		f.Close()
	}
	if best == "" {
		t.Fatal("no layer object with a manifest in the bucket")
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
	// One object per key: 5 layers, rootfs.spdx.json, and rootfs.tar when
	// packing it beside the other build took longer than fetching it would
	// (stepcache.WorthFetching).
	objs := objects(t, s)
	layers := 0
	for _, o := range objs {
		if strings.HasPrefix(o, "race/layers/") {
			layers++
		}
	}
	if outputs := len(objs) - layers; layers != 5 || outputs < 1 || outputs > 2 {
		t.Fatalf("the bucket holds %v, want one object per key (5 layers, 1 or 2 outputs)", objs)
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
