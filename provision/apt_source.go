package provision

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// AptSource adds an apt repository as a deb822 file,
// /etc/apt/sources.list.d/NAME.sources:
//
//	provision "apt_source" {
//	  name       = "backports"
//	  uris       = ["http://deb.debian.org/debian"]
//	  suites     = ["bookworm-backports"]
//	  components = ["main"]
//	  signed_by  = "/usr/share/keyrings/debian-archive-keyring.gpg"
//	}
//
// signed_by is a keyring path inside the image or an ASCII-armored public
// key, which is embedded in the file as deb822 allows. A suite ending in
// "/" names a flat repository and takes no components.
type AptSource struct {
	Name       string   `hcl:"name"`
	URIs       []string `hcl:"uris"`
	Suites     []string `hcl:"suites"`
	Components []string `hcl:"components,optional"`
	SignedBy   string   `hcl:"signed_by,optional"`
}

func init() {
	register("apt_source", func() Step { return &AptSource{} })
}

var (
	aptNameRE  = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	aptWordRE  = regexp.MustCompile(`^[A-Za-z0-9_.~+/-]+$`)
	armorBegin = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
)

// Check validates the attributes without touching the system.
func (a *AptSource) Check() error {
	var errs []error
	if !aptNameRE.MatchString(a.Name) || strings.HasPrefix(a.Name, ".") {
		errs = append(errs, check.Fieldf("name", "%q is not a valid sources file name (letters, digits, _ . -)", a.Name))
	}
	errs = append(errs, checkAptURIs(a.URIs), checkAptSuites(a.Suites, a.Components))
	for _, c := range a.Components {
		if !aptWordRE.MatchString(c) {
			errs = append(errs, check.Fieldf("components", "%q is not a valid component", c))
		}
	}
	switch {
	case a.SignedBy == "", strings.HasPrefix(strings.TrimSpace(a.SignedBy), armorBegin):
	case strings.HasPrefix(a.SignedBy, "/"):
		errs = append(errs, check.AbsPath("signed_by", a.SignedBy))
	default:
		errs = append(errs, check.Fieldf("signed_by", "must be an absolute keyring path in the image or an ASCII-armored public key"))
	}
	return errors.Join(errs...)
}

func checkAptURIs(uris []string) error {
	if len(uris) == 0 {
		return check.Fieldf("uris", "no URIs given")
	}
	var errs []error
	for _, u := range uris {
		p, err := url.Parse(u)
		if err != nil || p.Scheme == "" || strings.ContainsAny(u, " \t\n") {
			errs = append(errs, check.Fieldf("uris", "%q is not a URI (like http://deb.debian.org/debian)", u))
		}
	}
	return errors.Join(errs...)
}

func checkAptSuites(suites, components []string) error {
	if len(suites) == 0 {
		return check.Fieldf("suites", "no suites given")
	}
	var errs []error
	flat := false
	for _, s := range suites {
		if !aptWordRE.MatchString(s) {
			errs = append(errs, check.Fieldf("suites", "%q is not a valid suite", s))
		}
		flat = flat || strings.HasSuffix(s, "/")
	}
	switch {
	case flat && len(components) > 0:
		errs = append(errs, check.Fieldf("components", "a flat repository (suite ending in /) takes no components"))
	case !flat && len(components) == 0:
		errs = append(errs, check.Fieldf("components", "no components given (like [\"main\"])"))
	}
	return errors.Join(errs...)
}

// Path is the file the step writes.
func (a *AptSource) Path() string { return "/etc/apt/sources.list.d/" + a.Name + ".sources" }

// Summary is a one-line description.
func (a *AptSource) Summary() string {
	return fmt.Sprintf("apt source %s: %s %s %s", a.Name, strings.Join(a.URIs, " "),
		strings.Join(a.Suites, " "), strings.Join(a.Components, " "))
}

// Render returns the deb822 content of the sources file.
func (a *AptSource) Render() string {
	var b strings.Builder
	b.WriteString("# Written by chrootbuild.\nTypes: deb\n")
	fmt.Fprintf(&b, "URIs: %s\n", strings.Join(a.URIs, " "))
	fmt.Fprintf(&b, "Suites: %s\n", strings.Join(a.Suites, " "))
	if len(a.Components) > 0 {
		fmt.Fprintf(&b, "Components: %s\n", strings.Join(a.Components, " "))
	}
	if key := strings.TrimSpace(a.SignedBy); key != "" {
		b.WriteString("Signed-By:")
		if !strings.HasPrefix(key, armorBegin) {
			b.WriteString(" " + key + "\n")
			return b.String()
		}
		b.WriteString("\n")
		// deb822 continuation lines start with a space; an empty line is " .".
		for _, l := range strings.Split(key, "\n") {
			if l = strings.TrimSpace(l); l == "" {
				l = "."
			}
			b.WriteString(" " + l + "\n")
		}
	}
	return b.String()
}

// Apply writes the sources file.
func (a *AptSource) Apply(ctx context.Context, env *Env) error {
	if strings.HasPrefix(a.SignedBy, "/") {
		if _, err := env.Root.Stat(a.SignedBy); err != nil {
			return fmt.Errorf("checking keyring %s: %w", a.SignedBy, err)
		}
	}
	return putFile(env.Root, a.Path(), []byte(a.Render()), 0o644)
}
