package provision

import (
	"fmt"
	"path"
	"strings"
)

// unitInstall is the [Install] section of a systemd unit file.
type unitInstall struct {
	wantedBy, requiredBy, upheldBy, alias, also []string
	defaultInstance                             string
}

// empty reports whether the section says nothing: a static unit.
func (in unitInstall) empty() bool {
	return len(in.wantedBy)+len(in.requiredBy)+len(in.upheldBy)+len(in.alias)+len(in.also) == 0
}

// parseInstall reads the [Install] section of a unit file: list values
// accumulate over lines and an empty assignment resets them, comments
// start with # or ;, a final backslash continues a line.
func parseInstall(data string) unitInstall {
	var in unitInstall
	lists := map[string]*[]string{
		"wantedby": &in.wantedBy, "requiredby": &in.requiredBy, "upheldby": &in.upheldBy,
		"alias": &in.alias, "also": &in.also,
	}
	section := ""
	for _, line := range unitLines(data) {
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if section != "[Install]" || !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if k == "defaultinstance" {
			in.defaultInstance = v
		} else if list := lists[k]; list != nil && v == "" {
			*list = nil
		} else if list != nil {
			*list = append(*list, strings.Fields(v)...)
		}
	}
	return in
}

// unitLines returns the logical lines of a unit file, trimmed, without
// comments and blank lines, with continuations joined.
func unitLines(data string) []string {
	var out []string
	cont := ""
	for _, l := range strings.Split(data, "\n") {
		l = strings.TrimSpace(l)
		if cont == "" && (l == "" || l[0] == '#' || l[0] == ';') {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cont += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		out = append(out, cont+l)
		cont = ""
	}
	if cont != "" {
		out = append(out, strings.TrimSpace(cont))
	}
	return out
}

// unitName splits a unit name into prefix, instance and suffix:
// "getty@tty1.service" is ("getty", "tty1", ".service"), a template
// "getty@.service" has an empty instance, "ssh.service" no "@" at all.
type unitName struct {
	prefix, instance, suffix string
	hasAt                    bool
}

func parseUnitName(name string) unitName {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	p, inst, at := strings.Cut(base, "@")
	return unitName{p, inst, ext, at}
}

func (u unitName) template() string { return u.prefix + "@" + u.suffix }
func (u unitName) isTemplate() bool { return u.hasAt && u.instance == "" }
func (u unitName) isInstance() bool { return u.hasAt && u.instance != "" }
func (u unitName) String() string {
	if u.hasAt {
		return u.prefix + "@" + u.instance + u.suffix
	}
	return u.prefix + u.suffix
}

// expand resolves the specifiers an [Install] value may use for unit
// name (%n %N %p %i %I %%); others are refused rather than guessed.
func expand(s string, name unitName) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i++; i == len(s) {
			return "", fmt.Errorf("%q ends with a lone %%", s)
		}
		switch s[i] {
		case 'n':
			b.WriteString(name.String())
		case 'N':
			b.WriteString(strings.TrimSuffix(name.String(), name.suffix))
		case 'p':
			b.WriteString(name.prefix)
		case 'i', 'I':
			b.WriteString(name.instance)
		case '%':
			b.WriteByte('%')
		default:
			return "", fmt.Errorf("%q uses the specifier %%%c, which chrootbuild does not expand", s, s[i])
		}
	}
	return b.String(), nil
}

// unitLink is one symlink that enabling a unit creates.
type unitLink struct{ path, target string }

// links returns the symlinks `systemctl enable` makes for the unit
// instance name whose file is unitPath: NAME in TARGET.wants (requires,
// upholds) for each WantedBy (RequiredBy, UpheldBy), and each Alias in
// /etc/systemd/system.
func (in unitInstall) links(name unitName, unitPath string) ([]unitLink, error) {
	var out []unitLink
	add := func(dir string, vals []string, dirSuffix string) error {
		for _, v := range vals {
			v, err := expand(v, name)
			if err != nil {
				return err
			}
			if strings.ContainsAny(v, "/") || v == "" || v == "." || v == ".." {
				return fmt.Errorf("unit name %q in [Install] is not a plain name", v)
			}
			if dirSuffix == "" {
				// An instance of a template aliased to a template is
				// aliased to the same instance of it, as systemctl does.
				if a := parseUnitName(v); a.isTemplate() && name.isInstance() {
					a.instance = name.instance
					v = a.String()
				}
				out = append(out, unitLink{path.Join(dir, v), unitPath})
			} else {
				out = append(out, unitLink{path.Join(dir, v+dirSuffix, name.String()), unitPath})
			}
		}
		return nil
	}
	const etc = "/etc/systemd/system"
	for _, a := range []struct {
		vals   []string
		suffix string
	}{{in.wantedBy, ".wants"}, {in.requiredBy, ".requires"}, {in.upheldBy, ".upholds"}, {in.alias, ""}} {
		if err := add(etc, a.vals, a.suffix); err != nil {
			return nil, err
		}
	}
	return out, nil
}
