package provision

import (
	"maps"
	"slices"
	"sort"
	"strings"
)

// sshdDropIn is the drop-in ssh_server writes. Its name sorts before the
// usual 50-cloud-init.conf, so its values come first and win.
const sshdDropIn = "/etc/ssh/sshd_config.d/10-chrootbuild.conf"

// sshdInclude is the Include line Debian's sshd_config starts with.
const sshdInclude = "Include /etc/ssh/sshd_config.d/*.conf"

// render returns the drop-in's content.
func (s *SSHServer) render() string {
	var b strings.Builder
	b.WriteString("# Written by chrootbuild (provision \"ssh_server\"). sshd keeps the first\n")
	b.WriteString("# value it reads for a keyword, and this file is read first.\n")
	prl := s.PermitRootLogin
	if prl == "without-password" {
		prl = "prohibit-password" // the old name, deprecated by OpenSSH 7.0
	}
	line := func(k, v string) { b.WriteString(k + " " + v + "\n") }
	line("PermitRootLogin", prl)
	line("PasswordAuthentication", yesNo(s.PasswordAuthentication))
	if !s.PasswordAuthentication {
		line("KbdInteractiveAuthentication", "no")
	}
	line("PubkeyAuthentication", yesNo(s.PubkeyAuthentication))
	if len(s.AcceptEnv) > 0 {
		line("AcceptEnv", strings.Join(s.AcceptEnv, " "))
	}
	for _, k := range slices.Sorted(maps.Keys(s.Settings)) {
		line(k, s.Settings[k])
	}
	return b.String()
}

// sshdKeyword returns the lowercased first word of a config line, "" for
// blank lines and comments.
func sshdKeyword(line string) string {
	f := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == '=' })
	if len(f) == 0 || strings.HasPrefix(f[0], "#") {
		return ""
	}
	return strings.ToLower(f[0])
}

// dropAcceptEnv comments out every AcceptEnv line of a config file, since
// AcceptEnv accumulates across lines and files instead of first-wins.
func dropAcceptEnv(conf string) (string, bool) {
	lines := strings.Split(conf, "\n")
	changed := false
	for i, l := range lines {
		if sshdKeyword(l) == "acceptenv" {
			lines[i] = "#" + l + " # removed by chrootbuild (ssh_server accept_env)"
			changed = true
		}
	}
	return strings.Join(lines, "\n"), changed
}

// ensureInclude makes the Include of sshd_config.d the first directive of
// the main file, so that the drop-in's values win; Debian's file already
// starts that way.
func ensureInclude(conf string) (string, bool) {
	for _, l := range strings.Split(conf, "\n") {
		switch kw := sshdKeyword(l); {
		case kw == "":
			continue
		case kw == "include" && strings.Contains(l, "/etc/ssh/sshd_config.d/*.conf"):
			return conf, false
		}
		break
	}
	return sshdInclude + "\n" + conf, true
}

// sshdOptions parses `sshd -T` output into lowercase keyword -> values.
func sshdOptions(out string) map[string][]string {
	opts := map[string][]string{}
	for _, l := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), " "); ok {
			opts[k] = append(opts[k], v)
		} else if l != "" {
			opts[l] = append(opts[l], "")
		}
	}
	for _, v := range opts {
		sort.Strings(v)
	}
	return opts
}
