package provision

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// checkOwner checks an owner or group attribute: empty (root), a name as
// check.UserName accepts it, or a numeric id.
func checkOwner(attr, s string) error {
	if s == "" {
		return nil
	}
	if _, err := strconv.ParseUint(s, 10, 32); err == nil {
		return nil
	}
	return check.UserName(attr, s)
}

// ownerIDs resolves owner and group (names or numeric ids) to ids using the
// root's own /etc/passwd and /etc/group, never the host's. An empty owner
// is root (0); an empty group is the owner's primary group, or root when
// the owner is empty too.
func ownerIDs(r *chroot.Root, owner, group string) (uid, gid int, err error) {
	uid, gid = 0, 0
	if owner != "" {
		uid, gid, err = lookupUser(r, owner)
		if err != nil {
			return 0, 0, err
		}
	}
	if group != "" {
		gid, err = lookupGroup(r, group)
		if err != nil {
			return 0, 0, err
		}
	}
	return uid, gid, nil
}

// lookupUser returns the uid and primary gid of name (or of a numeric uid,
// whose gid is its passwd entry's when it has one, else the same number).
func lookupUser(r *chroot.Root, name string) (uid, gid int, err error) {
	data, err := readRootDB(r, "/etc/passwd")
	if err != nil {
		return 0, 0, err
	}
	if n, nerr := strconv.Atoi(name); nerr == nil {
		if e, ok := findDBEntry(data, 2, name); ok {
			g, _ := strconv.Atoi(e[3])
			return n, g, nil
		}
		return n, n, nil
	}
	e, ok := findDBEntry(data, 0, name)
	if !ok {
		return 0, 0, fmt.Errorf("looking up user %q: no such user in the image's /etc/passwd", name)
	}
	uid, err1 := strconv.Atoi(e[2])
	gid, err2 := strconv.Atoi(e[3])
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("looking up user %q: malformed /etc/passwd entry: %w", name, err)
	}
	return uid, gid, nil
}

// lookupGroup returns the gid of a group name or numeric gid.
func lookupGroup(r *chroot.Root, name string) (int, error) {
	if n, err := strconv.Atoi(name); err == nil {
		return n, nil
	}
	data, err := readRootDB(r, "/etc/group")
	if err != nil {
		return 0, err
	}
	e, ok := findDBEntry(data, 0, name)
	if !ok {
		return 0, fmt.Errorf("looking up group %q: no such group in the image's /etc/group", name)
	}
	gid, err := strconv.Atoi(e[2])
	if err != nil {
		return 0, fmt.Errorf("looking up group %q: malformed /etc/group entry: %w", name, err)
	}
	return gid, nil
}

func readRootDB(r *chroot.Root, name string) ([]byte, error) {
	data, err := r.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return data, nil
}

// findDBEntry finds the first line of a colon-separated database (passwd,
// group) whose field col equals value; entries have at least 4 fields.
func findDBEntry(data []byte, col int, value string) ([]string, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ":")
		if len(f) >= 4 && f[col] == value {
			return f, true
		}
	}
	return nil, false
}
