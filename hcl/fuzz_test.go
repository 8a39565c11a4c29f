package hcl

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// memFile is enough of os.FileInfo for the loader's stat.
type memFile struct{ name string }

func (m memFile) Name() string       { return m.name }
func (m memFile) Size() int64        { return 0 }
func (m memFile) Mode() fs.FileMode  { return 0o644 }
func (m memFile) ModTime() time.Time { return time.Time{} }
func (m memFile) IsDir() bool        { return false }
func (m memFile) Sys() any           { return nil }

// FuzzLoad feeds arbitrary source to the loader: it may report
// diagnostics but must never panic, and an image comes back exactly when
// there is no error. Files (from, file(), templatefile) are in memory:
// only the fuzzed file and a fixed parent exist.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"testdata/valid", "testdata/invalid"} {
		names, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				f.Add(b)
			}
		}
	}
	parent := []byte("image \"p\" {\n bootstrap { suite = \"bookworm\" }\n provision \"hostname\" { name = \"p\" }\n}\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("loading took over 10s: %q", src)) // a hang is a bug too
			}
		}()
		files := map[string][]byte{"fuzz.hcl": src, "parent.hcl": parent}
		l := NewLoader(LoadOptions{Env: []string{"SOURCE_DATE_EPOCH=0"}, Vars: map[string]string{}})
		l.readFile = func(name string) ([]byte, error) {
			if b, ok := files[filepath.Clean(name)]; ok {
				return b, nil
			}
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		l.stat = func(name string) (fs.FileInfo, error) {
			if _, ok := files[filepath.Clean(name)]; ok {
				return memFile{name}, nil
			}
			return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
		}
		img, diags := l.Load("fuzz.hcl")
		if diags.HasErrors() == (img != nil) {
			t.Fatalf("image %v with errors %v", img != nil, diags.HasErrors())
		}
		if img != nil {
			_ = img.Plan() // every step and output must summarise itself
		}
		if err := l.WriteDiagnostics(discard{}, diags, 80); err != nil {
			t.Fatal(err)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
