package provision

import (
	"fmt"
	"strconv"
)

// account is what the home and key set-up needs of a passwd entry.
type account struct {
	name     string
	uid, gid int
	home     string
}

// ensure creates the passwd, shadow and private group entries, or updates
// an existing account's shell, home and password lock.
func (u *User) ensure(a *accounts) (*account, error) {
	if i, f := a.passwd.find(u.Name); i >= 0 {
		return u.update(a, f)
	}
	uid, err := u.pickUID(a)
	if err != nil {
		return nil, err
	}
	gid, err := a.ensureGroup(u.Name, nil, uid, u.System)
	if err != nil {
		return nil, fmt.Errorf("creating the group of user %s: %w", u.Name, err)
	}
	home, shell := u.Home, u.Shell
	if home == "" {
		home = "/home/" + u.Name
		if u.System {
			home = "/nonexistent"
		}
	}
	if shell == "" {
		shell = "/bin/bash"
		if u.System {
			shell = "/usr/sbin/nologin"
		}
	}
	days, err := daysSinceEpoch()
	if err != nil {
		return nil, fmt.Errorf("creating user %s: %w", u.Name, err)
	}
	a.passwd.set([]string{u.Name, "x", strconv.Itoa(uid), strconv.Itoa(gid), "", home, shell})
	a.shadow.set([]string{u.Name, lockPassword("", u.PasswordLocked), days, "0", "99999", "7", "", "", ""})
	return &account{u.Name, uid, gid, home}, nil
}

func (u *User) pickUID(a *accounts) (int, error) {
	used := a.passwd.ids(2)
	if u.UID != nil {
		if used[*u.UID] {
			return 0, fmt.Errorf("creating user %s: uid %d is taken by another user", u.Name, *u.UID)
		}
		return *u.UID, nil
	}
	r := a.defs.uid
	if u.System {
		r = a.defs.sysUID
	}
	// Prefer an id free as both uid and gid, so the private group matches.
	if id, err := allocate(r, -1, used, a.group.ids(2)); err == nil {
		return id, nil
	}
	id, err := allocate(r, -1, used)
	if err != nil {
		return 0, fmt.Errorf("allocating a uid for user %s: %w", u.Name, err)
	}
	return id, nil
}

func (u *User) update(a *accounts, f []string) (*account, error) {
	if len(f) < 7 {
		return nil, fmt.Errorf("user %s: malformed /etc/passwd entry", u.Name)
	}
	uid, err1 := strconv.Atoi(f[2])
	gid, err2 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("user %s: malformed /etc/passwd entry", u.Name)
	}
	if u.UID != nil && *u.UID != uid {
		return nil, fmt.Errorf("user %s exists with uid %d, not %d", u.Name, uid, *u.UID)
	}
	if u.Home != "" {
		f[5] = u.Home
	}
	if u.Shell != "" {
		f[6] = u.Shell
	}
	a.passwd.set(f)
	if i, s := a.shadow.find(u.Name); i >= 0 && len(s) >= 2 {
		s[1] = lockPassword(s[1], u.PasswordLocked)
		a.shadow.set(s)
	} else {
		days, err := daysSinceEpoch()
		if err != nil {
			return nil, fmt.Errorf("updating user %s: %w", u.Name, err)
		}
		a.shadow.set([]string{u.Name, lockPassword("", u.PasswordLocked), days, "0", "99999", "7", "", "", ""})
	}
	return &account{u.Name, uid, gid, f[5]}, nil
}
