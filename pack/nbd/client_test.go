package nbd

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/nbdtest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

// patternFile writes a sparse file with data, all-zero runs and holes.
func patternFile(t testing.TB, size int64) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "src.img"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	for off := int64(0); off < size; off += 3 << 20 {
		data := make([]byte, 1<<20+r.Intn(1<<20))
		r.Read(data)
		clear(data[100000:300000]) // an all-zero run inside data
		if _, err := f.WriteAt(data[:min(int64(len(data)), size-off)], off); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestCopyFileReadBack(t *testing.T) {
	testenv.RequireTool(t, "nbdcopy")
	const size = 64 << 20
	for _, tc := range []struct {
		name  string
		extra []string
	}{{"write-zeroes", nil}, {"no write-zeroes", []string{"--filter=nozero"}}} {
		t.Run(tc.name, func(t *testing.T) {
			addr := nbdtest.Nbdkit(t, fmt.Sprint(size), tc.extra)
			src := patternFile(t, size)
			c, err := Dial(context.Background(), addr, "")
			if err != nil {
				t.Fatal(err)
			}
			if c.Size != size {
				t.Errorf("export size %d, want %d", c.Size, size)
			}
			if want := tc.extra == nil; c.CanWriteZeroes() != want {
				t.Errorf("CanWriteZeroes() = %v, want %v", c.CanWriteZeroes(), want)
			}
			if err := c.CopyFile(context.Background(), src, size); err != nil {
				t.Fatal(err)
			}
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			back := filepath.Join(t.TempDir(), "back.img")
			if out, err := exec.Command("nbdcopy", "nbd://"+addr, back).CombinedOutput(); err != nil {
				t.Fatalf("nbdcopy: %v\n%s", err, out)
			}
			want, _ := os.ReadFile(src.Name())
			got, _ := os.ReadFile(back)
			if !bytes.Equal(want, got) {
				t.Fatal("the export does not hold the file's bytes")
			}
		})
	}
}

func TestDialErrors(t *testing.T) {
	addr := nbdtest.Nbdkit(t, fmt.Sprint(1<<20), nil)
	if _, err := Dial(context.Background(), "127.0.0.1:1", ""); err == nil {
		t.Error("Dial to a closed port succeeded")
	}
	c, err := Dial(context.Background(), addr, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	big := patternFile(t, 2<<20)
	if err := c.CopyFile(context.Background(), big, 2<<20); err == nil || !strings.Contains(err.Error(), "larger than the export") {
		t.Errorf("CopyFile of a larger image = %v", err)
	}
	for in, want := range map[string][2]string{
		"nbd://h:10809/disk": {"h:10809", "disk"}, "nbd://[::1]:1": {"[::1]:1", ""},
	} {
		a, e, err := ParseURL(in)
		if err != nil || a != want[0] || e != want[1] {
			t.Errorf("ParseURL(%q) = %q, %q, %v", in, a, e, err)
		}
	}
	for _, in := range []string{"nbd://host", "http://h:1/x", "nbd:///x"} {
		if _, _, err := ParseURL(in); err == nil {
			t.Errorf("ParseURL(%q) succeeded", in)
		}
	}
}
