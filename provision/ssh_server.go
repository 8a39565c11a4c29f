package provision

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// SSHServer configures OpenSSH's sshd with a drop-in,
// /etc/ssh/sshd_config.d/10-chrootbuild.conf:
//
//	provision "ssh_server" {
//	  permit_root_login       = "prohibit-password"   # yes | no | prohibit-password | forced-commands-only
//	  password_authentication = false
//	  pubkey_authentication   = true
//	  accept_env              = []                    # variables a client may pass; [] removes AcceptEnv
//	  settings                = { ClientAliveInterval = "120" }
//	}
//
// sshd keeps the first value it reads for a keyword, and Debian's
// sshd_config includes sshd_config.d/*.conf before its own lines, so the
// drop-in wins (the Include is added at the top when the main file lacks
// it). AcceptEnv accumulates instead, so its lines are removed from the
// main file; the drop-in then holds accept_env when it is not empty.
// With passwords off, keyboard-interactive log-in is turned off too.
type SSHServer struct {
	PermitRootLogin        string            `hcl:"permit_root_login,optional"`       // yes, no, prohibit-password (keys only) or forced-commands-only
	PasswordAuthentication bool              `hcl:"password_authentication,optional"` // false also turns keyboard-interactive off
	PubkeyAuthentication   bool              `hcl:"pubkey_authentication,optional"`   // log-in with public keys
	AcceptEnv              []string          `hcl:"accept_env,optional"`              // variables (patterns) a client may pass; empty: none
	Settings               map[string]string `hcl:"settings,optional"`                // other sshd_config keywords and values
}

func init() {
	register("ssh_server", func() Step {
		return &SSHServer{PermitRootLogin: "prohibit-password", PubkeyAuthentication: true}
	})
}

var (
	sshKeywordRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*$`)
	envPatternRE = regexp.MustCompile(`^[A-Za-z_*?][A-Za-z0-9_*?]*$`)
)

// sshTyped are the keywords set by typed attributes, lowercase, with the
// attribute to use instead; sshRefused cannot go in a drop-in safely.
var (
	sshTyped = map[string]string{
		"permitrootlogin":                 "permit_root_login",
		"passwordauthentication":          "password_authentication",
		"pubkeyauthentication":            "pubkey_authentication",
		"acceptenv":                       "accept_env",
		"kbdinteractiveauthentication":    "password_authentication",
		"challengeresponseauthentication": "password_authentication",
	}
	sshRefused = map[string]bool{"match": true, "include": true}
)

// Check validates the attributes without touching the system.
func (s *SSHServer) Check() error {
	errs := []error{check.OneOf("permit_root_login", s.PermitRootLogin,
		"yes", "no", "prohibit-password", "forced-commands-only", "without-password")}
	for _, v := range s.AcceptEnv {
		if !envPatternRE.MatchString(v) {
			errs = append(errs, check.Fieldf("accept_env", "%q is not a variable name or pattern (like LANG or LC_*)", v))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Settings)) {
		errs = append(errs, checkSSHSetting(k, s.Settings[k]))
	}
	return errors.Join(errs...)
}

func checkSSHSetting(k, v string) error {
	lk := strings.ToLower(k)
	switch {
	case !sshKeywordRE.MatchString(k):
		return check.Fieldf("settings", "%q is not an sshd_config keyword (letters and digits, like ClientAliveInterval)", k)
	case sshTyped[lk] != "":
		return check.Fieldf("settings", "%s is set by the attribute %s, not in settings", k, sshTyped[lk])
	case sshRefused[lk]:
		return check.Fieldf("settings", "%s cannot be used in settings (it changes how the rest of the file is read)", k)
	case strings.TrimSpace(v) == "" || strings.ContainsAny(v, "\r\n#"):
		return check.Fieldf("settings", "value of %s must be one non-empty line without #", k)
	}
	return nil
}

// Summary is a one-line description.
func (s *SSHServer) Summary() string {
	env := "no AcceptEnv"
	if len(s.AcceptEnv) > 0 {
		env = "AcceptEnv " + strings.Join(s.AcceptEnv, " ")
	}
	sum := fmt.Sprintf("sshd: root login %s, passwords %s, public keys %s, %s",
		s.PermitRootLogin, yesNo(s.PasswordAuthentication), yesNo(s.PubkeyAuthentication), env)
	if keys := slices.Sorted(maps.Keys(s.Settings)); len(keys) > 0 {
		sum += ", " + strings.Join(keys, ", ")
	}
	return sum
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Apply writes the drop-in, removes AcceptEnv lines elsewhere and has
// the image's own sshd check the result.
func (s *SSHServer) Apply(ctx context.Context, env *Env) error {
	r := env.Root
	if _, err := r.Lstat("/usr/sbin/sshd"); err != nil {
		return fmt.Errorf("configuring sshd: /usr/sbin/sshd is missing (install openssh-server first): %w", err)
	}
	if err := editRootFile(r, "/etc/ssh/sshd_config", ensureInclude); err != nil {
		return err
	}
	if err := r.MkdirAll("/etc/ssh/sshd_config.d", 0o755); err != nil {
		return fmt.Errorf("creating /etc/ssh/sshd_config.d: %w", err)
	}
	confs, err := r.Glob("/etc/ssh/sshd_config.d/*.conf")
	if err != nil {
		return fmt.Errorf("listing /etc/ssh/sshd_config.d: %w", err)
	}
	for _, f := range append(confs, "/etc/ssh/sshd_config") {
		if err := editRootFile(r, f, dropAcceptEnv); err != nil {
			return err
		}
	}
	if err := r.WriteFile(sshdDropIn, []byte(s.render()), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", sshdDropIn, err)
	}
	return s.verify(ctx, r)
}
