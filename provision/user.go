package provision

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// User creates (or updates) a user account in the image:
//
//	provision "user" {
//	  name            = "deploy"
//	  groups          = ["sudo"]
//	  shell           = "/bin/bash"
//	  authorized_keys = ["ssh-ed25519 AAAA... me@laptop"]
//	}
//
// The account is written to /etc/passwd, /etc/shadow, /etc/group and
// /etc/gshadow directly, the uid allocated like adduser does (system
// accounts from SYS_UID_MIN, others from UID_MIN of the root's
// /etc/login.defs). The home folder is created from /etc/skel, and
// authorized_keys lands in ~/.ssh with modes 0700/0600, owned by the user.
// An existing account (root included) is updated: shell and home when
// given, more groups, more keys (keys already there are kept). The
// password stays locked: "!" in /etc/shadow for a new account, "!" put
// before an existing hash; an account with no password at all ("*", like
// Debian's root) keeps it. password_locked = false takes the "!" away,
// and an account without password then gets "*": still no password
// log-in, but not locked, for sshd set up without PAM, which refuses
// locked accounts even with a key.
type User struct {
	Name           string   `hcl:"name"`                     // the account name
	UID            *int     `hcl:"uid,optional"`             // default: the first free one of the range
	Groups         []string `hcl:"groups,optional"`          // more groups, which must exist
	Shell          string   `hcl:"shell,optional"`           // default /bin/bash, /usr/sbin/nologin for system
	Home           string   `hcl:"home,optional"`            // default /home/NAME, /nonexistent for system
	System         bool     `hcl:"system,optional"`          // a system account: uid and gid from the system range
	AuthorizedKeys []string `hcl:"authorized_keys,optional"` // public keys added to ~/.ssh/authorized_keys
	PasswordLocked bool     `hcl:"password_locked,optional"` // lock the password ("!" in /etc/shadow)
}

func init() {
	register("user", func() Step { return &User{PasswordLocked: true} })
}

// Check validates the attributes without touching the system.
func (u *User) Check() error {
	errs := []error{check.UserName("name", u.Name)}
	if u.UID != nil && (*u.UID < 0 || *u.UID > 65533) {
		errs = append(errs, check.Fieldf("uid", "%d is outside 0..65533", *u.UID))
	}
	for _, g := range u.Groups {
		if err := check.UserName("groups", g); err != nil {
			errs = append(errs, err)
		}
	}
	if u.Shell != "" {
		errs = append(errs, check.AbsPath("shell", u.Shell))
	}
	if u.Home != "" {
		errs = append(errs, check.AbsPath("home", u.Home))
	}
	for i, k := range u.AuthorizedKeys {
		if err := checkAuthorizedKey(k); err != nil {
			errs = append(errs, check.Fieldf("authorized_keys", "key %d: %v", i+1, err))
		}
	}
	return errors.Join(errs...)
}

// checkAuthorizedKey checks the shape of one authorized_keys line: one
// line, with a key type and base64 data (options before the type are
// allowed, as sshd allows them).
func checkAuthorizedKey(k string) error {
	if strings.ContainsAny(k, "\r\n") {
		return fmt.Errorf("must be a single line")
	}
	f := strings.Fields(k)
	for i := 0; i+1 < len(f); i++ {
		if strings.HasPrefix(f[i], "ssh-") || strings.HasPrefix(f[i], "ecdsa-") || strings.HasPrefix(f[i], "sk-") {
			return nil
		}
	}
	return fmt.Errorf("%q does not look like a public key (\"ssh-ed25519 AAAA... comment\")", short(k))
}

func short(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// Summary is a one-line description.
func (u *User) Summary() string {
	s := "user " + u.Name
	if u.System {
		s = "system " + s
	}
	if u.UID != nil {
		s += fmt.Sprintf(" (uid %d)", *u.UID)
	}
	if len(u.Groups) > 0 {
		s += " in " + strings.Join(u.Groups, ",")
	}
	if n := len(u.AuthorizedKeys); n > 0 {
		s += fmt.Sprintf(", %d authorized key(s)", n)
	}
	return s
}

// Apply creates or updates the account, then its home and keys.
func (u *User) Apply(ctx context.Context, env *Env) error {
	if u.Shell != "" && !existsIn(env.Root, u.Shell) {
		return fmt.Errorf("user %s: the shell %s does not exist in the image", u.Name, u.Shell)
	}
	a, err := loadAccounts(env.Root)
	if err != nil {
		return err
	}
	acct, err := u.ensure(a)
	if err != nil {
		return err
	}
	for _, g := range u.Groups {
		if !a.group.addMember(g, 3, u.Name) {
			return fmt.Errorf("adding user %s to group %s: no such group in the image's /etc/group", u.Name, g)
		}
		a.gshadow.addMember(g, 3, u.Name)
	}
	if err := a.save(env.Root); err != nil {
		return err
	}
	if err := acct.makeHome(env.Root); err != nil {
		return err
	}
	return acct.addKeys(env.Root, u.AuthorizedKeys)
}
