package provision

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// ubuntuLocaleDir is where Ubuntu's locales package lists the locales to
// keep; Debian uses /etc/locale.gen.
const ubuntuLocaleDir = "/var/lib/locales/supported.d"

// generateLocales compiles want (locale names) with localedef and records
// them in the locales package's own list.
func generateLocales(ctx context.Context, env *Env, want []string) error {
	supported, err := env.Root.ReadFile("/usr/share/i18n/SUPPORTED")
	if err != nil {
		return fmt.Errorf("reading /usr/share/i18n/SUPPORTED (is the locales package installed?): %w", err)
	}
	lines, err := localeGenLines(string(supported), want)
	if err != nil {
		return err
	}
	if err := recordLocales(env.Root, lines); err != nil {
		return err
	}
	for _, line := range lines {
		name, charset, _ := strings.Cut(line, " ")
		args := []string{"localedef", "-i", localeInput(env.Root, name), "-c", "-f", charset,
			"-A", "/usr/share/locale/locale.alias", name}
		err := runTool(ctx, env, nil, args...)
		// With -c, status 1 means warnings and the locale was written.
		var ee *chroot.ExitError
		if errors.As(err, &ee) && ee.Code == 1 && ee.Signal == 0 {
			err = nil
		}
		if err != nil {
			return fmt.Errorf("compiling locale %s: %w", name, err)
		}
	}
	return nil
}

// localeInput picks localedef's input the way locale-gen does: a source
// named like the locale itself, else its base name and modifier
// (sr_RS.UTF-8@latin reads sr_RS@latin).
func localeInput(r *chroot.Root, name string) string {
	for _, dir := range []string{"/usr/local/share/i18n/locales/", "/usr/share/i18n/locales/"} {
		if _, err := r.Stat(dir + name); err == nil {
			if strings.HasPrefix(dir, "/usr/local") {
				return dir + name
			}
			return name
		}
	}
	base, at, _ := strings.Cut(name, "@")
	base, _, _ = strings.Cut(base, ".")
	if at != "" {
		base += "@" + at
	}
	if _, err := r.Stat("/usr/local/share/i18n/locales/" + base); err == nil {
		return "/usr/local/share/i18n/locales/" + base
	}
	return base
}

// recordLocales enables lines in /etc/locale.gen and, on Ubuntu, lists
// them in supported.d/chrootbuild too, so that the locales package
// regenerates them whichever list its locale-gen reads.
func recordLocales(r *chroot.Root, lines []string) error {
	files := []string{"/etc/locale.gen"}
	if fi, err := r.Stat(ubuntuLocaleDir); err == nil && fi.IsDir() {
		files = append(files, ubuntuLocaleDir+"/chrootbuild")
	}
	for _, file := range files {
		old, err := readRootFile(r, file)
		if err != nil {
			return err
		}
		if err := putFile(r, file, []byte(enableLocales(string(old), lines)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// localeGenLines maps each wanted locale to its SUPPORTED line
// ("en_US.UTF-8 UTF-8"), matching the charset loosely as glibc does
// (en_US.utf8 is en_US.UTF-8); a locale the image does not know is an
// error.
func localeGenLines(supported string, want []string) ([]string, error) {
	byName := map[string]string{}
	for _, line := range strings.Split(supported, "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			byName[f[0]] = f[0] + " " + f[1]
			if _, dup := byName[looseLocale(f[0])]; !dup {
				byName[looseLocale(f[0])] = f[0] + " " + f[1]
			}
		}
	}
	var out, missing []string
	for _, w := range want {
		line, ok := byName[w]
		if !ok {
			line, ok = byName[looseLocale(w)]
		}
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

// looseLocale normalizes a locale's charset the way glibc compares them:
// lowercase, without punctuation.
func looseLocale(name string) string {
	base, rest, ok := strings.Cut(name, ".")
	if !ok {
		return name
	}
	cs, mod, _ := strings.Cut(rest, "@")
	cs = strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(cs))
	if mod != "" {
		cs += "@" + mod
	}
	return base + "." + cs
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

// The files of the default locale: systemd (PID 1 and localed) reads
// /etc/locale.conf first; pam_env reads /etc/default/locale for log-ins.
const (
	localeConf     = "/etc/locale.conf"
	defaultLocale  = "/etc/default/locale"
	localeConfLink = "../locale.conf"
)

// localeFiles returns the files, links resolved, that LANG goes into: the
// ones of localeConf and defaultLocale that the image has (trixie has
// both, one a link to the other; bookworm, jammy and noble only
// /etc/default/locale). With neither, the one the image's systemd reads:
// /etc/default/locale when it still knows that file (Debian's patch up
// to bookworm), else /etc/locale.conf with /etc/default/locale linked to
// it for PAM, as trixie's locales package makes them.
func localeFiles(r *chroot.Root) ([]string, error) {
	var files []string
	for _, name := range []string{localeConf, defaultLocale} {
		if _, err := r.Lstat(name); err != nil {
			continue
		}
		f, err := resolveLink(r, name)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 || files[0] != f {
			files = append(files, f)
		}
	}
	if len(files) > 0 {
		return files, nil
	}
	if _, version := systemdLib(r); version == 0 || systemdMentions(r, defaultLocale) {
		return []string{defaultLocale}, nil
	}
	if err := r.MkdirAll("/etc/default", 0o755); err != nil {
		return nil, fmt.Errorf("creating /etc/default: %w", err)
	}
	if err := r.Symlink(localeConfLink, defaultLocale); err != nil {
		return nil, fmt.Errorf("linking %s to %s: %w", defaultLocale, localeConf, err)
	}
	return []string{localeConf}, nil
}
