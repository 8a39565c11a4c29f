package imagediff

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/dpkg"
)

// scanTar lists every entry of a tar stream, hashing each file's content
// as it passes, and reads the dpkg database it holds.
func (img *Image) scanTar(ctx context.Context, tr *tar.Reader) error {
	img.Files = map[string]*File{}
	var status []byte
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading tar %s: %w", img.Path, err)
		}
		name := tarName(hdr.Name)
		f := tarFile(hdr)
		if hdr.Typeflag == tar.TypeReg || hdr.Typeflag == tar.TypeRegA { //nolint:staticcheck // old tars
			var w io.Writer = h
			var st bytes.Buffer
			if name == "/"+dpkg.StatusFile {
				w = io.MultiWriter(h, &st)
			}
			h.Reset()
			if _, err := io.CopyBuffer(w, tr, buf); err != nil {
				return fmt.Errorf("reading %s in tar %s: %w", name, img.Path, err)
			}
			h.Sum(f.sum[:0])
			if st.Len() > 0 {
				status = st.Bytes()
			}
		}
		img.Files[name] = f
	}
	img.resolveHardLinks()
	if status != nil {
		pkgs, err := dpkg.ParseStatus(bytes.NewReader(status))
		if err != nil {
			return fmt.Errorf("%s in tar %s: %w", dpkg.StatusFile, img.Path, err)
		}
		img.Packages = packageIndex(dpkgEntries(pkgs))
	}
	return nil
}

// tarName turns an archive name (./usr/bin/, usr/bin) into /usr/bin.
func tarName(name string) string { return path.Clean("/" + name) }

// tarFile describes a tar entry; a hard link is a file whose content is
// its target's.
func tarFile(hdr *tar.Header) *File {
	f := &File{Mode: uint32(hdr.Mode) & 0o7777, UID: hdr.Uid, GID: hdr.Gid, Size: hdr.Size}
	switch hdr.Typeflag {
	case tar.TypeDir:
		f.Type, f.Size = "dir", 0
	case tar.TypeSymlink:
		f.Type, f.Link = "symlink", hdr.Linkname
	case tar.TypeLink:
		f.Type, f.hard = "file", tarName(hdr.Linkname)
	case tar.TypeChar, tar.TypeBlock:
		f.Type = map[bool]string{true: "char", false: "block"}[hdr.Typeflag == tar.TypeChar]
		f.Dev = fmt.Sprintf("%d,%d", hdr.Devmajor, hdr.Devminor)
	case tar.TypeFifo:
		f.Type = "fifo"
	default:
		f.Type = "file"
	}
	vals := map[string]string{}
	for k, v := range hdr.PAXRecords {
		if name, ok := strings.CutPrefix(k, "SCHILY.xattr."); ok {
			vals[name] = hex.EncodeToString([]byte(v))
		}
	}
	f.Xattrs = joinXattrs(vals)
	return f
}

// resolveHardLinks gives each hard link its target's size and content.
func (img *Image) resolveHardLinks() {
	for _, f := range img.Files {
		if f.hard == "" {
			continue
		}
		if t, ok := img.Files[f.hard]; ok {
			f.Size, f.sum = t.Size, t.sum
		}
	}
}
