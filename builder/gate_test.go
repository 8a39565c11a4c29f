package builder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/pack"
)

// TestBootGate checks each way the publish gate refuses an image — no
// boot report, a report of another image, a failed report — and that
// force lets each through and a passing report of this image passes.
func TestBootGate(t *testing.T) {
	out := t.TempDir()
	const sum = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	res := &Result{OutDir: out, Outputs: []Artifact{
		{Kind: "tar", Path: filepath.Join(out, "rootfs.tar"), Digest: sum, Product: pack.ProductRootArchive},
	}}
	save := func(r *boot.Report) {
		if err := r.Save(filepath.Join(out, boot.ReportName)); err != nil {
			t.Fatal(err)
		}
	}
	login := boot.Check{Name: "a login prompt appears on the serial console"}
	cases := []struct {
		name   string
		report *boot.Report // nil: none
		want   string       // "" passes
	}{
		{"no report", nil, "has no boot report"},
		{"failed report", &boot.Report{Digest: sum, Checks: []boot.Check{login}}, "failed (a login prompt appears"},
		{"report of another image", &boot.Report{Digest: strings.Repeat("0", 64), Passed: true}, "of another image"},
		{"passing report", &boot.Report{Digest: sum, Passed: true}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(filepath.Join(out, boot.ReportName))
			if c.report != nil {
				save(c.report)
			}
			err := bootGate(res, false)
			if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("gate: %v, want %q", err, c.want)
			}
			if err := bootGate(res, true); err != nil {
				t.Fatalf("gate with force: %v", err)
			}
		})
	}
}

// TestResultSavedAndLoaded checks that the saved result keeps paths
// relative to its folder, so a moved output folder still finds its files.
func TestResultSavedAndLoaded(t *testing.T) {
	out := t.TempDir()
	res := &Result{Image: "img", OutDir: out, Outputs: []Artifact{
		{Kind: "tar", Path: filepath.Join(out, "rootfs.tar"), Digest: "ab", Product: pack.ProductRootArchive},
		{Kind: "squashfs", Path: filepath.Join(out, "sub/rootfs.sqsh"), Digest: "cd", Product: pack.ProductFile},
		{Kind: "device", Path: "nbd://127.0.0.1:10809/disk", Product: pack.ProductDevice},
	}}
	if err := res.save(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, ResultName))
	if strings.Contains(string(b), out) || !strings.Contains(string(b), `"path": "sub/rootfs.sqsh"`) {
		t.Fatalf("saved result:\n%s", b)
	}
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(out, moved); err != nil {
		t.Fatal(err)
	}
	got, err := LoadResult(moved)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := got.RootArchive()
	if !ok || a.Path != filepath.Join(moved, "rootfs.tar") || a.Digest != "ab" {
		t.Fatalf("root archive = %+v, %v", a, ok)
	}
	if f := got.Files(); len(f) != 2 || f[1].Path != filepath.Join(moved, "sub/rootfs.sqsh") {
		t.Fatalf("files = %+v", f)
	}
	if d := got.Outputs[2]; d.Path != "nbd://127.0.0.1:10809/disk" || d.IsFile() {
		t.Fatalf("device = %+v", d)
	}
}
