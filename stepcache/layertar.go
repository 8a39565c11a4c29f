package stepcache

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// layerXattrs are the extended attributes a layer carries: overlayfs's
// marks of opaque folders and redirects, and file capabilities. They are
// the ones Digest hashes.
var layerXattrs = []string{"trusted.overlay.opaque", "trusted.overlay.redirect", "security.capability"}

const (
	paxXattr = "SCHILY.xattr."
	xattrMax = 256 // bytes of an xattr value read
)

// writeLayerTar writes the folder dir to a tar stream: every entry with its
// mode, owner, times, device number, link target and layer xattrs, hard
// links as links. Overlay whiteouts (0:0 character devices) are kept as
// they are, so the stream restores the layer exactly.
func writeLayerTar(tw *tar.Writer, dir string) error {
	links := map[[2]uint64]string{}
	buf := make([]byte, 1<<20)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := layerHeader(p, rel, fi, links)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeReg && hdr.Size > 0 {
			return copyFileTo(tw, p, buf)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("archiving layer %s: %w", dir, err)
	}
	return nil
}

func layerHeader(p, rel string, fi fs.FileInfo, links map[[2]uint64]string) (*tar.Header, error) {
	st := fi.Sys().(*syscall.Stat_t)
	link := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		t, err := os.Readlink(p)
		if err != nil {
			return nil, err
		}
		link = t
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return nil, err
	}
	hdr.Name = filepath.ToSlash(rel)
	if fi.IsDir() {
		hdr.Name += "/"
	}
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = int(st.Uid), int(st.Gid), "", ""
	hdr.Format = tar.FormatPAX
	hdr.ModTime = time.Unix(st.Mtim.Unix())
	hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
	if fi.Mode().IsRegular() && st.Nlink > 1 {
		id := [2]uint64{st.Dev, st.Ino}
		if first, ok := links[id]; ok {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
		} else {
			links[id] = hdr.Name
		}
	}
	for _, name := range layerXattrs {
		val := make([]byte, xattrMax)
		if n, err := unix.Lgetxattr(p, name, val); err == nil {
			if hdr.PAXRecords == nil {
				hdr.PAXRecords = map[string]string{}
			}
			hdr.PAXRecords[paxXattr+name] = string(val[:n])
		}
	}
	return hdr, nil
}

func copyFileTo(w io.Writer, p string, buf []byte) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyBuffer(w, f, buf)
	return err
}

// readLayerTar restores a stream written by writeLayerTar into dir, which
// exists and is empty, and returns the Digest of the restored folder and
// its bytes of file content. The stream comes from a remote cache the
// build does not fully trust, so every entry's parent must be a folder the
// stream itself created (never a symlink), names must be clean and
// relative, and entries come in Digest's order.
func readLayerTar(tr *tar.Reader, dir string) (string, int64, error) {
	x := &extraction{dir: dir, dirs: map[string]bool{".": true}, files: map[string]bool{}, digest: newStreamDigest()}
	var folders []*tar.Header
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", 0, fmt.Errorf("reading layer archive: %w", err)
		}
		if err := x.restore(tr, hdr); err != nil {
			return "", 0, fmt.Errorf("restoring %s from a layer archive: %w", hdr.Name, err)
		}
		if hdr.Typeflag == tar.TypeDir {
			folders = append(folders, hdr)
		}
	}
	// Folders' times last: writing into a folder changes its mtime.
	for i := len(folders) - 1; i >= 0; i-- {
		name, _ := cleanName(folders[i].Name)
		setTimes(filepath.Join(dir, name), folders[i].ModTime)
	}
	sum, size := x.digest.sum()
	return sum, size, nil
}

// extraction tracks what a layer stream has created so far.
type extraction struct {
	dir   string
	dirs  map[string]bool // folders the stream made, by clean name
	files map[string]bool // regular files, the only targets of hard links
	// digest is the restored folder's Digest, computed as it is restored.
	digest *streamDigest
}

// cleanName checks a stream's name: relative, without "..", clean.
func cleanName(name string) (string, error) {
	n := strings.TrimPrefix(strings.TrimSuffix(name, "/"), "./")
	if n == "" || n == "." {
		return ".", nil
	}
	if path.IsAbs(n) || path.Clean(n) != n || n == ".." || strings.HasPrefix(n, "../") {
		return "", fmt.Errorf("name %q is not a clean relative path", name)
	}
	return n, nil
}

// place returns where a stream's name goes, refusing one whose parent is
// not a folder the stream made.
func (x *extraction) place(name string) (string, string, error) {
	n, err := cleanName(name)
	if err != nil {
		return "", "", err
	}
	if n != "." && !x.dirs[path.Dir(n)] {
		return "", "", fmt.Errorf("parent folder of %q is not in the archive before it", name)
	}
	return n, filepath.Join(x.dir, filepath.FromSlash(n)), nil
}

func (x *extraction) restore(tr *tar.Reader, hdr *tar.Header) error {
	n, p, err := x.place(hdr.Name)
	if err != nil {
		return err
	}
	if err := x.digest.follows(n); err != nil {
		return err
	}
	if err := x.create(tr, hdr, n, p); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeLink {
		return x.digest.entry(p, n) // it has its target's owner and mode
	}
	if err := setMeta(p, hdr, uint32(hdr.Mode&0o7777)); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeReg {
		return x.digest.checkFile(p, n, hdr.Size)
	}
	return x.digest.entry(p, n)
}

// create makes the entry of hdr, named n, at p.
func (x *extraction) create(tr *tar.Reader, hdr *tar.Header, n, p string) error {
	mode := uint32(hdr.Mode & 0o7777)
	switch hdr.Typeflag {
	case tar.TypeDir:
		if n != "." {
			if err := os.Mkdir(p, 0o700); err != nil {
				return err
			}
		}
		x.dirs[n] = true
	case tar.TypeReg:
		x.digest.fileHead(n, hdr)
		if err := writeNew(p, tr, x.digest.h); err != nil {
			return err
		}
		x.files[n] = true
	case tar.TypeLink:
		t, err := cleanName(hdr.Linkname)
		if err != nil || !x.files[t] {
			return fmt.Errorf("hard link to %q, which is not a file of the archive", hdr.Linkname)
		}
		if err := os.Link(filepath.Join(x.dir, t), p); err != nil {
			return err
		}
	case tar.TypeSymlink:
		if err := os.Symlink(hdr.Linkname, p); err != nil {
			return err
		}
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		kind := map[byte]uint32{tar.TypeChar: unix.S_IFCHR, tar.TypeBlock: unix.S_IFBLK, tar.TypeFifo: unix.S_IFIFO}[hdr.Typeflag]
		if err := unix.Mknod(p, kind|mode, int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor)))); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unexpected entry type %q", hdr.Typeflag)
	}
	return nil
}

// writeNew writes what r holds to the new file p, and to h as it passes.
func writeNew(p string, r io.Reader, h io.Writer) error {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(io.MultiWriter(f, h), r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// setMeta applies owner, mode, xattrs and times; the mode after the owner,
// since chown clears set-id bits.
func setMeta(p string, hdr *tar.Header, mode uint32) error {
	if err := os.Lchown(p, hdr.Uid, hdr.Gid); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeSymlink {
		if err := unix.Fchmodat(unix.AT_FDCWD, p, mode, 0); err != nil {
			return err
		}
	}
	for k, v := range hdr.PAXRecords {
		name, ok := strings.CutPrefix(k, paxXattr)
		if !ok {
			continue
		}
		if err := unix.Lsetxattr(p, name, []byte(v), 0); err != nil {
			return fmt.Errorf("setting %s: %w", name, err)
		}
	}
	return setTimes(p, hdr.ModTime)
}

func setTimes(p string, t time.Time) error {
	ts := unix.NsecToTimespec(t.UnixNano())
	return unix.UtimesNanoAt(unix.AT_FDCWD, p, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
