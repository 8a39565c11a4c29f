package pack

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/u-root/u-root/pkg/cpio"
	"golang.org/x/sys/unix"
)

// WriteCpio writes root as a deterministic newc cpio archive to w, usable
// as an initramfs: entries in walk order, inode numbers renumbered from 1
// in that order, device numbers of the host file system zeroed, owners
// kept, mtimes clamped to SOURCE_DATE_EPOCH when set. A hard-linked file
// carries its data in its first entry. newc has no room for xattrs, so
// file capabilities are not kept (a cpio initramfs runs as root anyway).
func WriteCpio(ctx context.Context, root string, w io.Writer, compression string) error {
	c, err := clampFromEnv()
	if err != nil {
		return err
	}
	cw, err := compress(w, compression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(cw, 1<<20)
	cp := &cpioWalker{rw: cpio.Newc.Writer(bw), clamp: c, inos: map[devIno]uint64{}}
	err = walk(ctx, root, cp.add)
	if err == nil {
		err = cpio.WriteTrailer(cp.rw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := cw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("finishing %s compression: %w", compression, cerr)
	}
	return err
}

type cpioWalker struct {
	rw    cpio.RecordWriter
	clamp clamp
	inos  map[devIno]uint64
}

func (c *cpioWalker) add(e *entry) error {
	rec, closer, err := c.record(e)
	if err != nil {
		return fmt.Errorf("archiving %s: %w", e.Path, err)
	}
	if closer != nil {
		defer closer.Close()
	}
	if err := c.rw.WriteRecord(rec); err != nil {
		return fmt.Errorf("archiving %s: %w", e.Path, err)
	}
	return nil
}

// record builds e's cpio record; a regular file comes with its open file.
func (c *cpioWalker) record(e *entry) (cpio.Record, io.Closer, error) {
	st := &e.Stat
	key := devIno{st.Dev, st.Ino}
	ino, seen := c.inos[key]
	if !seen {
		ino = uint64(len(c.inos) + 1)
		c.inos[key] = ino
	}
	name := "."
	if e.Name != "." {
		name = e.Name[2:]
	}
	info := cpio.Info{
		Ino: ino, Mode: uint64(st.Mode), UID: uint64(st.Uid), GID: uint64(st.Gid),
		NLink: uint64(st.Nlink), MTime: uint64(c.clamp.seconds(int64(st.Mtim.Sec))), Name: name,
		Rmajor: uint64(unix.Major(st.Rdev)), Rminor: uint64(unix.Minor(st.Rdev)),
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFLNK:
		info.FileSize = uint64(len(e.Link))
		return cpio.StaticRecord([]byte(e.Link), info), nil, nil
	case unix.S_IFREG:
		if seen || st.Size == 0 {
			return cpio.Record{Info: info}, nil, nil
		}
		f, err := os.Open(e.Path)
		if err != nil {
			return cpio.Record{}, nil, err
		}
		info.FileSize = uint64(st.Size)
		return cpio.Record{ReaderAt: io.NewSectionReader(f, 0, st.Size), Info: info}, f, nil
	}
	return cpio.Record{Info: info}, nil, nil
}
