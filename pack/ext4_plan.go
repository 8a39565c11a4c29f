package pack

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// fsPlan is what a walk of the root tells mke2fs: how much room the files
// take, how many inodes they need, the newest mtime, and the debugfs
// commands that make every inode's times depend on its mtime only.
type fsPlan struct {
	DataBytes int64
	Inodes    int64
	Newest    int64
	Script    strings.Builder
	Skipped   []string // names debugfs cannot address (newlines)
}

const fsBlock = 4096

func roundUp(n, to int64) int64 { return (n + to - 1) / to * to }

// planFS walks root once for sizing and for the time-normalising script.
func planFS(ctx context.Context, root string, c clamp) (*fsPlan, error) {
	p := &fsPlan{}
	err := walk(ctx, root, func(e *entry) error {
		st := &e.Stat
		p.Inodes++
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFREG:
			n := roundUp(st.Size, fsBlock)
			if alloc := roundUp(st.Blocks*512, fsBlock); alloc < n {
				n = alloc // sparse: mke2fs keeps the holes
			}
			p.DataBytes += n
		case unix.S_IFDIR:
			p.DataBytes += roundUp(max(st.Size, fsBlock), fsBlock)
		case unix.S_IFLNK:
			if len(e.Link) >= 60 {
				p.DataBytes += fsBlock
			}
		}
		m := c.seconds(int64(st.Mtim.Sec))
		p.Newest = max(p.Newest, m)
		p.addTimes(e.Name, m, m != int64(st.Mtim.Sec))
		return nil
	})
	return p, err
}

// addTimes sets atime and ctime (which mke2fs -d copies from the host,
// where they change on every read and chmod) to the recorded mtime, and
// the mtime itself when it was clamped.
func (p *fsPlan) addTimes(name string, mtime int64, clamped bool) {
	if strings.ContainsAny(name, "\n\r") {
		p.Skipped = append(p.Skipped, name)
		return
	}
	path := "/" + strings.TrimPrefix(strings.TrimPrefix(name, "."), "/")
	q := `"` + strings.ReplaceAll(path, `"`, `""`) + `"`
	fields := []string{"atime", "ctime"}
	if clamped {
		fields = append(fields, "mtime")
	}
	for _, f := range fields {
		fmt.Fprintf(&p.Script, "sif %s %s @%d\n", q, f, mtime)
	}
}

// AutoSize is the image size for the planned root: its data, inode
// tables and journal, with 10% free space and the 5% reserved for root.
func (p *fsPlan) AutoSize() int64 {
	need := p.DataBytes + p.inodeCount()*256 + 8<<20
	journal := int64(16 << 20)
	if need > 512<<20 {
		journal = 64 << 20
	}
	return roundUp(need*110/95+journal, 4<<20)
}

// inodeCount leaves room for a fifth more files than the root has.
func (p *fsPlan) inodeCount() int64 { return p.Inodes + p.Inodes/5 + 1024 }

// fingerprint is a digest of root's content as our tar stream sees it:
// names, modes, owners, clamped mtimes, xattrs and file data.
func fingerprint(ctx context.Context, root string) ([]byte, error) {
	h := sha256.New()
	if err := WriteTar(ctx, root, h, TarOptions{}); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// uuidFrom formats 16 bytes of a digest as an RFC 9562 version 8 UUID.
func uuidFrom(d []byte) string {
	u := append([]byte(nil), d[:16]...)
	u[6] = u[6]&0x0f | 0x80
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
