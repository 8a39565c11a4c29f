package debootstrap

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// unpackRule places one package's entries where dpkg's own unpack would
// have left them, for a root whose database dpkg then completes (see
// register.go). A nil rule is a plain extraction.
type unpackRule struct {
	index     int               // the package's place in the install order
	conffiles map[string]bool   // "/etc/x": unpacked as /etc/x.dpkg-new, as dpkg does
	keepBoth  bool              // conffiles also at their own name (the essential set, needed before configure)
	diverted  map[string]string // "/a" -> "/b": diversions by other packages
	dirs      *dirClaims        // folders: the first package in install order sets their mode
}

// target returns where the entry called name (relative, cleaned) goes.
func (r *unpackRule) target(name string) string {
	if r == nil || len(r.diverted) == 0 {
		return name
	}
	if to, ok := r.diverted["/"+name]; ok {
		return strings.TrimPrefix(to, "/")
	}
	return name
}

func (r *unpackRule) isConffile(name string) bool {
	return r != nil && r.conffiles["/"+name]
}

func (r *unpackRule) claimsDirs() bool { return r != nil && r.dirs != nil }

// conffile writes a conffile as base.dpkg-new, where dpkg's configure
// step looks for it (and, for the essential set, under its name too).
func (x *extractor) conffile(pfd int, base string, h *tar.Header, r io.Reader, rule *unpackRule) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if rule.keepBoth {
		if err := x.file(pfd, base, h, bytes.NewReader(data)); err != nil {
			return err
		}
	}
	return x.file(pfd, base+".dpkg-new", h, bytes.NewReader(data))
}

// dirClaims gives each folder the owner and mode of the first package,
// in install order, that ships it, whichever worker gets there first; a
// folder that was there before (the essential set's, or made by a
// maintainer script) keeps its own, as dpkg keeps an existing folder.
type dirClaims struct {
	mu sync.Mutex
	by map[string]int
}

func newDirClaims() *dirClaims { return &dirClaims{by: map[string]int{}} }

// claimDir creates or sets the folder name (at pfd/base) for the package
// of rule unless an earlier package in install order shipped it, or it
// was there before this unpack began.
func (x *extractor) claimDir(pfd int, base, name string, h *tar.Header, rule *unpackRule) error {
	c := rule.dirs
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, claimed := c.by[name]
	if claimed && prev < rule.index {
		return nil
	}
	if !claimed {
		var st unix.Stat_t
		if err := unix.Fstatat(pfd, base, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil {
			return nil
		}
	}
	c.by[name] = rule.index
	return x.dir(pfd, base, h)
}

// parseConffiles reads the conffiles control file: an absolute path a
// line, which may follow flags (dpkg 1.20.1 on). remove-on-upgrade marks a
// conffile the package no longer ships, which dpkg removes on upgrade: it
// is in no data.tar, so a bootstrap has nothing to write for it (trixie's
// procps lists /etc/sysctl.conf so). Other flags are refused rather than
// half-understood.
func parseConffiles(data []byte) (map[string]bool, error) {
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		name, flags := f[len(f)-1], f[:len(f)-1]
		if !strings.HasPrefix(name, "/") || len(flags) > 1 || len(flags) == 1 && flags[0] != "remove-on-upgrade" {
			return nil, fmt.Errorf("conffiles: unsupported line %q", strings.TrimSpace(line))
		}
		if len(flags) == 0 {
			out[name] = true
		}
	}
	return out, nil
}
