package debootstrap

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// extractor writes tar entries into a root the way dpkg inside a chroot
// would see them: every path is resolved by the kernel with openat2 and
// RESOLVE_IN_ROOT, so a symlink an earlier entry (or another package)
// planted is followed as if the root were /, never out of it; and only
// the final component is created, relative to its resolved parent.
type extractor struct {
	rootfd int
}

const resolveFlags = unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS

func openExtractor(root string) (*extractor, error) {
	fd, err := unix.Open(root, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("opening root %s: %w", root, err)
	}
	return &extractor{rootfd: fd}, nil
}

func (x *extractor) close() { unix.Close(x.rootfd) }

// entryName cleans a tar entry name to a path relative to the root and
// refuses any that climbs with "..".
func entryName(name string) (string, error) {
	for _, c := range strings.Split(name, "/") {
		if c == ".." {
			return "", fmt.Errorf("entry %q: name climbs out with \"..\"", name)
		}
	}
	n := strings.TrimLeft(path.Clean("/"+name), "/")
	if n == "" {
		n = "."
	}
	return n, nil
}

func tarReader(r io.Reader) *tar.Reader { return tar.NewReader(r) }

// extractTar writes every entry of tr; rule (nil for a plain extraction)
// places them as dpkg's unpack would.
func (x *extractor) extractTar(tr *tar.Reader, rule *unpackRule) error {
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading data archive: %w", err)
		}
		if err := x.entry(h, tr, rule); err != nil {
			return err
		}
	}
}

func (x *extractor) entry(h *tar.Header, r io.Reader, rule *unpackRule) error {
	name, err := entryName(h.Name)
	if err != nil || name == "." {
		return err
	}
	name = rule.target(name)
	pfd, base, err := x.parent(name)
	if err != nil {
		return fmt.Errorf("entry %s: %w", h.Name, err)
	}
	defer unix.Close(pfd)
	switch {
	case h.Typeflag == tar.TypeDir && rule.claimsDirs():
		err = x.claimDir(pfd, base, name, h, rule)
	case h.Typeflag == tar.TypeDir:
		err = x.dir(pfd, base, h)
	case h.Typeflag == tar.TypeReg && rule.isConffile(name):
		err = x.conffile(pfd, base, h, r, rule)
	case h.Typeflag == tar.TypeReg:
		err = x.file(pfd, base, h, r)
	case h.Typeflag == tar.TypeSymlink:
		err = x.symlink(pfd, base, h)
	case h.Typeflag == tar.TypeLink:
		err = x.link(pfd, base, h, rule)
	case h.Typeflag == tar.TypeChar, h.Typeflag == tar.TypeBlock, h.Typeflag == tar.TypeFifo:
		err = x.node(pfd, base, h)
	default:
		err = fmt.Errorf("unsupported entry type %q", h.Typeflag)
	}
	if err != nil {
		return fmt.Errorf("entry %s: %w", h.Name, err)
	}
	return nil
}

// parent opens the folder holding name, creating missing folders on the
// way (as dpkg would, root-owned 0755).
func (x *extractor) parent(name string) (int, string, error) {
	dir, base := path.Split(name)
	fd, err := x.openDir(strings.TrimSuffix(dir, "/"))
	return fd, base, err
}

func (x *extractor) openDir(dir string) (int, error) {
	if dir == "" {
		dir = "."
	}
	how := unix.OpenHow{Flags: unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: resolveFlags}
	fd, err := unix.Openat2(x.rootfd, dir, &how)
	if !errors.Is(err, unix.ENOENT) || dir == "." {
		return fd, err
	}
	pdir, base := path.Split(dir)
	pfd, err := x.openDir(strings.TrimSuffix(pdir, "/"))
	if err != nil {
		return -1, err
	}
	err = unix.Mkdirat(pfd, base, 0o755)
	unix.Close(pfd)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return -1, err
	}
	return unix.Openat2(x.rootfd, dir, &how)
}

// dir creates a folder, or keeps what is there: an existing folder, or a
// symlink to one (merged /usr's /bin), whose target is left alone.
func (x *extractor) dir(pfd int, base string, h *tar.Header) error {
	err := unix.Mkdirat(pfd, base, 0o700)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return err
	}
	fd, err := unix.Openat(pfd, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
		return nil // a symlink stands there; dpkg keeps it too
	}
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return setOwnerMode(fd, h)
}

func setOwnerMode(fd int, h *tar.Header) error {
	if h.Uid != 0 || h.Gid != 0 {
		if err := unix.Fchown(fd, h.Uid, h.Gid); err != nil {
			return err
		}
	}
	return unix.Fchmod(fd, uint32(h.Mode&0o7777))
}

// replace removes whatever non-folder stands at base.
func replace(pfd int, base string) error {
	err := unix.Unlinkat(pfd, base, 0)
	if err == nil || errors.Is(err, unix.ENOENT) {
		return nil
	}
	if errors.Is(err, unix.EISDIR) {
		return fmt.Errorf("a folder stands there")
	}
	return err
}

func (x *extractor) file(pfd int, base string, h *tar.Header, r io.Reader) error {
	if err := replace(pfd, base); err != nil {
		return err
	}
	fd, err := unix.Openat(pfd, base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), base)
	defer f.Close()
	if _, err := io.Copy(f, r); err != nil {
		return err
	}
	return setOwnerMode(fd, h)
}

func (x *extractor) symlink(pfd int, base string, h *tar.Header) error {
	if err := replace(pfd, base); err != nil {
		return err
	}
	if err := unix.Symlinkat(h.Linkname, pfd, base); err != nil {
		return err
	}
	return unix.Fchownat(pfd, base, h.Uid, h.Gid, unix.AT_SYMLINK_NOFOLLOW)
}

// link makes a hard link to an earlier entry; the target is resolved
// inside the root like any entry name and must not climb with "..".
func (x *extractor) link(pfd int, base string, h *tar.Header, rule *unpackRule) error {
	target, err := entryName(h.Linkname)
	if err != nil {
		return fmt.Errorf("hard link target: %w", err)
	}
	target = rule.target(target)
	tfd, tbase, err := x.parent(target)
	if err != nil {
		return fmt.Errorf("hard link target %s: %w", h.Linkname, err)
	}
	defer unix.Close(tfd)
	if err := replace(pfd, base); err != nil {
		return err
	}
	return unix.Linkat(tfd, tbase, pfd, base, 0)
}

func (x *extractor) node(pfd int, base string, h *tar.Header) error {
	if err := replace(pfd, base); err != nil {
		return err
	}
	mode := uint32(h.Mode & 0o7777)
	switch h.Typeflag {
	case tar.TypeChar:
		mode |= unix.S_IFCHR
	case tar.TypeBlock:
		mode |= unix.S_IFBLK
	default:
		mode |= unix.S_IFIFO
	}
	dev := unix.Mkdev(uint32(h.Devmajor), uint32(h.Devminor))
	if err := unix.Mknodat(pfd, base, mode, int(dev)); err != nil {
		return err
	}
	return unix.Fchownat(pfd, base, h.Uid, h.Gid, unix.AT_SYMLINK_NOFOLLOW)
}
