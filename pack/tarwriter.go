package pack

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"time"

	"golang.org/x/sys/unix"
)

// TarOptions configure WriteTar.
type TarOptions struct {
	Compression string // none, gzip, zstd, xz
}

// WriteTar writes root as a deterministic PAX tar archive to w: names
// sorted, numeric owners only, whole-second mtimes clamped to
// SOURCE_DATE_EPOCH when set, xattrs as SCHILY.xattr records, hard links,
// device nodes and fifos kept. Sockets are left out, as GNU tar does.
func WriteTar(ctx context.Context, root string, w io.Writer, o TarOptions) error {
	c, err := clampFromEnv()
	if err != nil {
		return err
	}
	cw, err := compress(w, o.Compression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(cw)
	t := &tarWalker{tw: tw, clamp: c, links: map[devIno]string{}, buf: make([]byte, 1<<20)}
	if err := walk(ctx, root, t.add); err != nil {
		cw.Close()
		return err
	}
	if err := tw.Close(); err != nil {
		cw.Close()
		return fmt.Errorf("finishing tar: %w", err)
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("finishing %s compression: %w", o.Compression, err)
	}
	return nil
}

type devIno struct{ dev, ino uint64 }

type tarWalker struct {
	tw    *tar.Writer
	clamp clamp
	links map[devIno]string
	buf   []byte
}

func (t *tarWalker) add(e *entry) error {
	hdr, ok := t.header(e)
	if !ok {
		return nil
	}
	if err := t.tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("writing tar header for %s: %w", e.Path, err)
	}
	if hdr.Typeflag != tar.TypeReg || hdr.Size == 0 {
		return nil
	}
	if err := copyFileData(t.tw, e.Path, hdr.Size, e.Stat.Blocks, t.buf); err != nil {
		return fmt.Errorf("archiving %s: %w", e.Path, err)
	}
	return nil
}

// header builds the tar header of e; false means e is left out (a socket).
func (t *tarWalker) header(e *entry) (*tar.Header, bool) {
	st := &e.Stat
	hdr := &tar.Header{
		Name:    archiveName(e.Name, st.Mode&unix.S_IFMT == unix.S_IFDIR),
		Mode:    int64(st.Mode & 0o7777),
		Uid:     int(st.Uid),
		Gid:     int(st.Gid),
		ModTime: time.Unix(t.clamp.seconds(int64(st.Mtim.Sec)), 0),
		Format:  tar.FormatPAX,
	}
	if len(e.Xattrs) > 0 {
		hdr.PAXRecords = make(map[string]string, len(e.Xattrs))
		for _, x := range e.Xattrs {
			hdr.PAXRecords["SCHILY.xattr."+x.Name] = string(x.Value)
		}
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		hdr.Typeflag = tar.TypeDir
	case unix.S_IFLNK:
		hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, e.Link
	case unix.S_IFCHR, unix.S_IFBLK:
		hdr.Typeflag = tar.TypeChar
		if st.Mode&unix.S_IFMT == unix.S_IFBLK {
			hdr.Typeflag = tar.TypeBlock
		}
		hdr.Devmajor, hdr.Devminor = int64(unix.Major(st.Rdev)), int64(unix.Minor(st.Rdev))
	case unix.S_IFIFO:
		hdr.Typeflag = tar.TypeFifo
	case unix.S_IFREG:
		hdr.Typeflag, hdr.Size = tar.TypeReg, st.Size
		if st.Nlink > 1 {
			key := devIno{st.Dev, st.Ino}
			if first, ok := t.links[key]; ok {
				hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			} else {
				t.links[key] = hdr.Name
			}
		}
	default:
		return nil, false
	}
	return hdr, true
}
