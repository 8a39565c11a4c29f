package debootstrap

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"pault.ag/go/debian/deb"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// dpkgTools are the programs dpkg --unpack starts for every package it
// registers: dpkg-split (is the archive a part of a split one?),
// dpkg-deb --control (which starts tar and xz) and --fsys-tarfile, and
// rm -rf of its control folder. Under qemu-user each start of an emulated
// program costs tens of milliseconds, five or six times a package, most
// of registering a base system; these host-native stand-ins do the same
// work in one native process each. They handle exactly the calls dpkg
// makes and hand any other (a maintainer script's rm) to the root's own
// program.
var dpkgTools = []string{"dpkg-split", "dpkg-deb", "rm"}

func init() {
	chroot.RegisterHostTool("dpkg-split", dpkgSplitTool)
	chroot.RegisterHostTool("dpkg-deb", dpkgDebTool)
	chroot.RegisterHostTool("rm", rmTool)
}

// dpkgSplitTool answers dpkg's `dpkg-split -Qao REASSEMBLED FILE`: status
// 1, "not a part", for a .deb whose first member is debian-binary. A part
// of a split archive goes to the root's dpkg-split.
func dpkgSplitTool(args []string) int {
	if len(args) == 3 && args[0] == "-Qao" {
		if first, err := firstArMember(args[2]); err == nil && first == "debian-binary" {
			return 1
		}
	}
	return chroot.ExecRootProgram("dpkg-split", args)
}

// firstArMember returns the name of the first member of the ar archive
// at name.
func firstArMember(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	ar, err := deb.LoadAr(f)
	if err != nil {
		return "", err
	}
	m, err := ar.Next()
	if err != nil {
		return "", err
	}
	return m.Name, nil
}

// dpkgDebTool answers dpkg's `dpkg-deb --control DEB DIR` (the control
// members extracted into DIR, as tar -x does as root: modes and owners
// from the archive, modification times now) and `dpkg-deb --fsys-tarfile
// DEB` (the data tar, uncompressed, on standard output). Other calls go
// to the root's dpkg-deb.
func dpkgDebTool(args []string) int {
	var err error
	switch {
	case len(args) == 3 && args[0] == "--control":
		err = debControl(args[1], args[2])
	case len(args) == 2 && args[0] == "--fsys-tarfile":
		err = debData(args[1], os.Stdout)
	default:
		return chroot.ExecRootProgram("dpkg-deb", args)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dpkg-deb (host tool): %s %s: %v\n", args[0], args[1], err)
		return 2
	}
	return 0
}

// debData writes the data tar of the .deb at name, uncompressed, to w.
func debData(name string, w io.Writer) error {
	return debMember(name, "data.tar", func(r io.Reader) error {
		_, err := io.Copy(w, r)
		return err
	})
}

// debMember calls fn with the uncompressed stream of the .deb's member
// whose name starts with prefix (control.tar or data.tar), decompressed
// in this process (the root's xz would be emulated).
func debMember(name, prefix string, fn func(io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	ar, err := deb.LoadAr(f)
	if err != nil {
		return err
	}
	for {
		m, err := ar.Next()
		if err == io.EOF {
			return fmt.Errorf("no %s member", prefix)
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(m.Name, prefix) {
			continue
		}
		ext := memberExt(m.Name)
		if !slices.Contains([]string{"", ".gz", ".xz", ".zst", ".bz2"}, ext) {
			return fmt.Errorf("member %s: unknown compression", m.Name)
		}
		r, err := decompress(m)
		if err != nil {
			return fmt.Errorf("member %s: %w", m.Name, err)
		}
		err = fn(r)
		if err == nil { // a host xz ends well once its output is read to the end
			_, err = io.Copy(io.Discard, r)
		}
		if cerr := r.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("member %s: %w", m.Name, cerr)
		}
		return err
	}
}

// debControl extracts the control member of the .deb at name into dir,
// created when missing.
func debControl(name, dir string) error {
	if err := os.Mkdir(dir, 0o777); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return debMember(name, "control.tar", func(r io.Reader) error {
		tr := tar.NewReader(r)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := controlEntry(dir, h, tr); err != nil {
				return fmt.Errorf("%s: %w", h.Name, err)
			}
		}
	})
}

// controlEntry writes one entry of a control tar under dir. A control
// tar holds a flat list of files (and its "./"); anything else is refused
// rather than guessed.
func controlEntry(dir string, h *tar.Header, r io.Reader) error {
	rel := filepath.Clean(strings.TrimPrefix(h.Name, "./"))
	if rel == "." && h.Typeflag == tar.TypeDir {
		return nil
	}
	if h.Typeflag != tar.TypeReg || strings.Contains(rel, "/") || rel == ".." {
		return fmt.Errorf("not a plain file of a control archive (type %q)", h.Typeflag)
	}
	p := filepath.Join(dir, rel)
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, r)
	err = errors.Join(err, out.Chown(h.Uid, h.Gid), out.Chmod(os.FileMode(h.Mode).Perm()), out.Close())
	return err
}

// rmTool answers dpkg's `rm -rf -- PATH` of a folder in its database
// (its control folder, tmp.ci); any other rm goes to the root's.
func rmTool(args []string) int {
	if len(args) != 3 || args[0] != "-rf" || args[1] != "--" || !inDpkgAdmin(args[2]) {
		return chroot.ExecRootProgram("rm", args)
	}
	return removeTree(args[2])
}

// removeTree removes p and all below it, as rm -rf does: status 0 also
// when there was nothing.
func removeTree(p string) int {
	if err := os.RemoveAll(p); err != nil {
		fmt.Fprintf(os.Stderr, "rm (host tool): %v\n", err)
		return 1
	}
	return 0
}

// inDpkgAdmin says whether p is a path below dpkg's database folder.
func inDpkgAdmin(p string) bool {
	const admin = "/var/lib/dpkg/"
	return filepath.IsAbs(p) && strings.HasPrefix(filepath.Clean(p), admin)
}
