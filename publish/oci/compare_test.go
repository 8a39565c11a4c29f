package oci

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// entry is what the test compares of one file.
type entry struct {
	kind     string
	mode     fs.FileMode
	uid, gid int
	size     int64
	sum      string
	link     string
}

func (e entry) String() string {
	return fmt.Sprintf("%s %v %d:%d %d %s %s", e.kind, e.mode, e.uid, e.gid, e.size, e.sum, e.link)
}

func fileSum(r io.Reader) string {
	h := sha256.New()
	io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil))
}

// dirEntries lists a root folder as the test compares it.
func dirEntries(t *testing.T, root string) map[string]entry {
	t.Helper()
	m := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSocket != 0 {
			return nil
		}
		st := info.Sys().(*syscall.Stat_t)
		e := entry{mode: info.Mode().Perm() | info.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), uid: int(st.Uid), gid: int(st.Gid)}
		switch {
		case info.Mode().IsRegular():
			e.kind, e.size = "file", info.Size()
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			e.sum = fileSum(f)
			f.Close()
		case info.IsDir():
			e.kind = "dir"
		case info.Mode()&fs.ModeSymlink != 0:
			e.kind, e.mode = "symlink", 0
			e.link, _ = os.Readlink(p)
		default:
			e.kind = info.Mode().Type().String()
		}
		rel, _ := filepath.Rel(root, p)
		m[rel] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// layerEntries lists the one layer of a pulled image the same way; hard
// links count as the file they link to.
func layerEntries(t *testing.T, img v1.Image) map[string]entry {
	t.Helper()
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("image has %d layers (%v), want 1", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	m := map[string]entry{}
	tr := tar.NewReader(rc)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return m
		}
		if err != nil {
			t.Fatal(err)
		}
		name := path.Clean("/" + hdr.Name)[1:]
		if name == "" {
			continue
		}
		fi := hdr.FileInfo()
		e := entry{mode: fi.Mode().Perm() | fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), uid: hdr.Uid, gid: hdr.Gid}
		switch hdr.Typeflag {
		case tar.TypeReg:
			e.kind, e.size, e.sum = "file", hdr.Size, fileSum(tr)
		case tar.TypeLink:
			e = m[path.Clean("/" + hdr.Linkname)[1:]]
		case tar.TypeDir:
			e.kind = "dir"
		case tar.TypeSymlink:
			e.kind, e.mode, e.link = "symlink", 0, hdr.Linkname
		default:
			e.kind = fi.Mode().Type().String()
		}
		m[name] = e
	}
}

// sameEntries reports every difference between the root and the layer.
func sameEntries(t *testing.T, root, layer map[string]entry) {
	t.Helper()
	n := 0
	for p, want := range root {
		got, ok := layer[p]
		switch {
		case !ok:
			t.Errorf("%s is missing from the layer", p)
		case got != want:
			t.Errorf("%s: layer has %v, root has %v", p, got, want)
		default:
			continue
		}
		if n++; n > 20 {
			t.Fatal("too many differences")
		}
	}
	for p := range layer {
		if _, ok := root[p]; !ok {
			t.Errorf("%s is in the layer but not in the root", p)
		}
	}
}
