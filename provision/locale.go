package provision

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Locale generates locales and sets the default one:
//
//	provision "locale" {
//	  default  = "en_US.UTF-8"
//	  generate = ["en_US.UTF-8", "fr_FR.UTF-8"]
//	}
//
// Each locale is compiled by the image's own localedef, with the charset
// the image's /usr/share/i18n/SUPPORTED gives it, the way locale-gen does
// (but a failure is an error, where locale-gen ignores it), and recorded
// where the locales package regenerates from on upgrades: /etc/locale.gen,
// and /var/lib/locales/supported.d on Ubuntu. The default, generated too
// unless it is C, C.UTF-8 or POSIX, becomes LANG where the image's own
// tools read it: /etc/locale.conf, which systemd reads first, when the
// image has one (trixie's locales makes it, with /etc/default/locale a
// link to it: the link stays), and /etc/default/locale, which PAM reads
// (bookworm, jammy and noble have only this one). The image needs the
// locales package.
type Locale struct {
	Default  string   `hcl:"default,optional"`
	Generate []string `hcl:"generate,optional"`
}

func init() {
	register("locale", func() Step { return &Locale{} })
}

// localeRE is a locale name: language[_TERRITORY][.charset][@modifier].
var localeRE = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2}|_[0-9]{3})?(\.[A-Za-z0-9-]+)?(@[A-Za-z0-9]+)?$`)

func builtinLocale(s string) bool {
	switch s {
	case "C", "POSIX", "C.UTF-8", "C.utf8":
		return true
	}
	return false
}

// Check validates the attributes without touching the system.
func (l *Locale) Check() error {
	var errs []error
	if l.Default == "" && len(l.Generate) == 0 {
		errs = append(errs, check.Fieldf("", "set default, generate, or both"))
	}
	if l.Default != "" && !builtinLocale(l.Default) && !localeRE.MatchString(l.Default) {
		errs = append(errs, check.Fieldf("default", "%q is not a locale name (like en_US.UTF-8)", l.Default))
	}
	for _, g := range l.Generate {
		if !localeRE.MatchString(g) {
			errs = append(errs, check.Fieldf("generate", "%q is not a locale name (like en_US.UTF-8)", g))
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (l *Locale) Summary() string {
	var parts []string
	if len(l.Generate) > 0 {
		parts = append(parts, "generate "+strings.Join(l.Generate, " "))
	}
	if l.Default != "" {
		parts = append(parts, "default "+l.Default)
	}
	return "locale: " + strings.Join(parts, ", ")
}

// wanted returns the locales to generate, the default included.
func (l *Locale) wanted() []string {
	w := append([]string(nil), l.Generate...)
	if l.Default != "" && !builtinLocale(l.Default) {
		w = append(w, l.Default)
	}
	return dedupe(w)
}

// Apply compiles the locales, records them and sets the default.
func (l *Locale) Apply(ctx context.Context, env *Env) error {
	if want := l.wanted(); len(want) > 0 {
		if err := generateLocales(ctx, env, want); err != nil {
			return err
		}
	}
	if l.Default == "" {
		return nil
	}
	files, err := localeFiles(env.Root)
	if err != nil {
		return err
	}
	for _, f := range files {
		old, err := readRootFile(env.Root, f)
		if err != nil {
			return err
		}
		if err := putFile(env.Root, f, []byte(setShellVar(string(old), "LANG", l.Default)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// setShellVar sets NAME=value in a KEY=value file, replacing an earlier
// assignment of NAME and keeping every other line.
func setShellVar(old, name, value string) string {
	var out []string
	done := false
	for _, line := range strings.Split(strings.TrimRight(old, "\n"), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), name+"=") {
			if done {
				continue
			}
			line, done = name+"="+value, true
		}
		if line != "" || len(out) > 0 {
			out = append(out, line)
		}
	}
	if !done {
		out = append(out, name+"="+value)
	}
	return strings.Join(out, "\n") + "\n"
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
