package provision

import (
	"fmt"
	"strconv"
	"strings"
)

// accountDB is one of the colon-separated account databases (/etc/passwd,
// /etc/group, /etc/shadow, /etc/gshadow) kept as lines, so that editing
// an entry leaves every other line, comments included, as it was.
type accountDB struct {
	lines []string
}

func parseAccountDB(data []byte) *accountDB {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return &accountDB{}
	}
	return &accountDB{lines: strings.Split(s, "\n")}
}

// bytes renders the database with a final newline.
func (db *accountDB) bytes() []byte {
	if len(db.lines) == 0 {
		return nil
	}
	return []byte(strings.Join(db.lines, "\n") + "\n")
}

// find returns the index and fields of the entry named name, or -1.
func (db *accountDB) find(name string) (int, []string) {
	for i, l := range db.lines {
		if strings.HasPrefix(l, "#") {
			continue
		}
		if f := strings.Split(l, ":"); f[0] == name {
			return i, f
		}
	}
	return -1, nil
}

// set replaces the entry named fields[0], or appends it.
func (db *accountDB) set(fields []string) {
	line := strings.Join(fields, ":")
	if i, _ := db.find(fields[0]); i >= 0 {
		db.lines[i] = line
		return
	}
	db.lines = append(db.lines, line)
}

// ids returns the numeric ids in field col (2 for passwd and group).
func (db *accountDB) ids(col int) map[int]bool {
	used := map[int]bool{}
	for _, l := range db.lines {
		f := strings.Split(l, ":")
		if len(f) > col && !strings.HasPrefix(l, "#") {
			if n, err := strconv.Atoi(f[col]); err == nil {
				used[n] = true
			}
		}
	}
	return used
}

// addMember adds user to the comma-separated member list in field col
// of the entry named group (3 in group, 3 in gshadow); false when the
// group has no entry.
func (db *accountDB) addMember(group string, col int, user string) bool {
	i, f := db.find(group)
	if i < 0 || len(f) <= col {
		return false
	}
	var members []string
	if f[col] != "" {
		members = strings.Split(f[col], ",")
	}
	for _, m := range members {
		if m == user {
			return true
		}
	}
	f[col] = strings.Join(append(members, user), ",")
	db.lines[i] = strings.Join(f, ":")
	return true
}

// idRange is a range of ids to allocate from.
type idRange struct{ min, max int }

// loginDefs holds the id ranges of a root's /etc/login.defs, with the
// defaults of Debian's shadow and adduser when a key is missing.
type loginDefs struct {
	uid, sysUID, gid, sysGID idRange
}

func parseLoginDefs(data []byte) loginDefs {
	vals := map[string]int{}
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && !strings.HasPrefix(f[0], "#") {
			if n, err := strconv.Atoi(f[1]); err == nil {
				vals[f[0]] = n
			}
		}
	}
	get := func(k string, def int) int {
		if v, ok := vals[k]; ok {
			return v
		}
		return def
	}
	return loginDefs{
		uid:    idRange{get("UID_MIN", 1000), get("UID_MAX", 59999)},
		sysUID: idRange{get("SYS_UID_MIN", 100), get("SYS_UID_MAX", 999)},
		gid:    idRange{get("GID_MIN", 1000), get("GID_MAX", 59999)},
		sysGID: idRange{get("SYS_GID_MIN", 100), get("SYS_GID_MAX", 999)},
	}
}

// allocate returns the lowest id of r that no set in used holds, as
// adduser does; prefer is taken first when it is in r and free (a user's
// private group gets its uid as gid when it can).
func allocate(r idRange, prefer int, used ...map[int]bool) (int, error) {
	free := func(n int) bool {
		for _, u := range used {
			if u[n] {
				return false
			}
		}
		return true
	}
	if prefer >= r.min && prefer <= r.max && free(prefer) {
		return prefer, nil
	}
	for n := r.min; n <= r.max; n++ {
		if free(n) {
			return n, nil
		}
	}
	return 0, fmt.Errorf("no free id left in %d..%d", r.min, r.max)
}

// lockPassword returns the shadow password field locked ("!" prefix) or
// unlocked. A new account's field is "" and becomes "!" or "*" (no usable
// password, but not locked: sshd without PAM refuses locked accounts even
// for keys). "*" is left as it is when locking: there is no password to
// lock, and Debian's root keeps its key log-ins with or without PAM.
func lockPassword(field string, locked bool) string {
	switch {
	case locked && field == "*":
		return field
	case locked && !strings.HasPrefix(field, "!"):
		return "!" + field
	case !locked && strings.HasPrefix(field, "!"):
		field = strings.TrimLeft(field, "!")
	}
	if field == "" {
		return "*"
	}
	return field
}
