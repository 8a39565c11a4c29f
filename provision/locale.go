package provision

import (
	"context"
	"errors"
	"fmt"
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
// The locales are enabled in /etc/locale.gen (with the charset the image's
// /usr/share/i18n/SUPPORTED gives them) and compiled by the image's own
// locale-gen; the default, generated too unless it is C, C.UTF-8 or POSIX,
// becomes LANG in /etc/default/locale. The image needs the locales package.
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

// Apply enables the locales, runs locale-gen and sets the default.
func (l *Locale) Apply(ctx context.Context, env *Env) error {
	if want := l.wanted(); len(want) > 0 {
		supported, err := env.Root.ReadFile("/usr/share/i18n/SUPPORTED")
		if err != nil {
			return fmt.Errorf("reading /usr/share/i18n/SUPPORTED (is the locales package installed?): %w", err)
		}
		lines, err := localeGenLines(string(supported), want)
		if err != nil {
			return err
		}
		old, err := readRootFile(env.Root, "/etc/locale.gen")
		if err != nil {
			return err
		}
		if err := putFile(env.Root, "/etc/locale.gen", []byte(enableLocales(string(old), lines)), 0o644); err != nil {
			return err
		}
		if err := runTool(ctx, env, nil, "locale-gen"); err != nil {
			return err
		}
	}
	if l.Default == "" {
		return nil
	}
	old, err := readRootFile(env.Root, "/etc/default/locale")
	if err != nil {
		return err
	}
	data := setShellVar(string(old), "LANG", l.Default)
	return putFile(env.Root, "/etc/default/locale", []byte(data), 0o644)
}

// localeGenLines maps each wanted locale to its SUPPORTED line
// ("en_US.UTF-8 UTF-8"); a locale the image does not know is an error.
func localeGenLines(supported string, want []string) ([]string, error) {
	byName := map[string]string{}
	for _, line := range strings.Split(supported, "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			byName[f[0]] = f[0] + " " + f[1]
		}
	}
	var out []string
	var missing []string
	for _, w := range want {
		line, ok := byName[w]
		if !ok {
			missing = append(missing, w)
			continue
		}
		out = append(out, line)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("locale %s is not in the image's /usr/share/i18n/SUPPORTED", strings.Join(missing, ", "))
	}
	return out, nil
}

// enableLocales uncomments the given locale.gen lines in old, appending
// those it lacks; other lines stay as they were.
func enableLocales(old string, lines []string) string {
	want := map[string]bool{}
	for _, l := range lines {
		want[l] = true
	}
	var out []string
	for _, line := range strings.Split(strings.TrimRight(old, "\n"), "\n") {
		bare := strings.Join(strings.Fields(strings.TrimLeft(line, "# ")), " ")
		if want[bare] {
			line = bare
			delete(want, bare)
		}
		out = append(out, line)
	}
	for _, l := range lines {
		if want[l] {
			out = append(out, l)
		}
	}
	return strings.TrimLeft(strings.Join(out, "\n"), "\n") + "\n"
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
