package provision

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"syscall"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/epoch"
)

// accounts is the set of account databases of a root, edited in memory
// and saved together.
type accounts struct {
	passwd, group, shadow, gshadow *accountDB
	defs                           loginDefs
	had                            [4]bool // which files existed
}

var accountFiles = []struct {
	name string
	mode fs.FileMode
}{
	{"/etc/passwd", 0o644}, {"/etc/group", 0o644}, {"/etc/shadow", 0o640}, {"/etc/gshadow", 0o640},
}

func loadAccounts(r *chroot.Root) (*accounts, error) {
	dbs := make([]*accountDB, len(accountFiles))
	var had [4]bool
	for i, f := range accountFiles {
		data, err := r.ReadFile(f.name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: %w", f.name, err)
		}
		dbs[i], had[i] = parseAccountDB(data), err == nil
	}
	defs, err := r.ReadFile("/etc/login.defs")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading /etc/login.defs: %w", err)
	}
	return &accounts{passwd: dbs[0], group: dbs[1], shadow: dbs[2], gshadow: dbs[3], defs: parseLoginDefs(defs), had: had}, nil
}

// save writes the databases back, keeping each existing file's mode and
// owner (Debian's shadow files are root:shadow 0640). A root without
// shadow or gshadow does not use them, and does not get them.
func (a *accounts) save(r *chroot.Root) error {
	for i, db := range []*accountDB{a.passwd, a.group, a.shadow, a.gshadow} {
		f := accountFiles[i]
		if i >= 2 && !a.had[i] {
			continue
		}
		mode, uid, gid := f.mode, 0, 0
		if fi, err := r.Lstat(f.name); err == nil {
			mode = fi.Mode().Perm()
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				uid, gid = int(st.Uid), int(st.Gid)
			}
		}
		if err := r.WriteFile(f.name, db.bytes(), mode); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
		if err := r.Chmod(f.name, mode); err != nil {
			return fmt.Errorf("setting mode of %s: %w", f.name, err)
		}
		if err := r.Lchown(f.name, uid, gid); err != nil {
			return fmt.Errorf("changing owner of %s: %w", f.name, err)
		}
	}
	return nil
}

// daysSinceEpoch is the shadow "last change" field for a new entry;
// SOURCE_DATE_EPOCH makes it reproducible.
func daysSinceEpoch() (string, error) {
	now, err := epoch.Now()
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(now.Unix()/86400, 10), nil
}

// ensureGroup creates group name unless it exists. want is the asked gid
// (nil: allocate, preferring prefer); an existing group with another gid
// is an error. It returns the group's gid.
func (a *accounts) ensureGroup(name string, want *int, prefer int, system bool) (int, error) {
	if i, f := a.group.find(name); i >= 0 && len(f) >= 3 {
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			return 0, fmt.Errorf("group %s: malformed /etc/group entry", name)
		}
		if want != nil && *want != gid {
			return 0, fmt.Errorf("group %s exists with gid %d, not %d", name, gid, *want)
		}
		return gid, nil
	}
	gid, err := a.pickGID(name, want, prefer, system)
	if err != nil {
		return 0, err
	}
	a.group.set([]string{name, "x", strconv.Itoa(gid), ""})
	a.gshadow.set([]string{name, "!", "", ""})
	return gid, nil
}

func (a *accounts) pickGID(name string, want *int, prefer int, system bool) (int, error) {
	used := a.group.ids(2)
	if want != nil {
		if used[*want] {
			return 0, fmt.Errorf("group %s: gid %d is taken by another group", name, *want)
		}
		return *want, nil
	}
	r := a.defs.gid
	if system {
		r = a.defs.sysGID
	}
	gid, err := allocate(r, prefer, used)
	if err != nil {
		return 0, fmt.Errorf("allocating a gid for group %s: %w", name, err)
	}
	return gid, nil
}
