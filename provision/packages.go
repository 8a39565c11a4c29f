package provision

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Packages installs, removes and upgrades Debian packages with the image's
// own apt-get:
//
//	provision "packages" {
//	  install    = ["less", "curl"]
//	  remove     = ["nano"]
//	  purge      = ["ifupdown"]
//	  upgrade    = true
//	  recommends = false
//	}
//
// apt-get runs non-interactively, keeping existing configuration files,
// with --no-install-recommends unless recommends = true. The package lists
// are updated first when upgrade is set, or when some repository has no
// lists yet (a cleaned minbase root, or an apt_source added since). Order:
// upgrade (apt-get dist-upgrade), install, remove, purge. A package apt
// cannot find is an error naming it.
type Packages struct {
	Install    []string `hcl:"install,optional"`
	Remove     []string `hcl:"remove,optional"`
	Purge      []string `hcl:"purge,optional"`
	Upgrade    bool     `hcl:"upgrade,optional"`
	Recommends bool     `hcl:"recommends,optional"`
}

func init() {
	register("packages", func() Step { return &Packages{} })
}

// pkgRE is a Debian package name, optionally with :arch, =version or
// /release as apt-get install accepts them.
var pkgRE = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+:~_-]+|/[A-Za-z0-9.+_-]+)?$`)

// InstalledPackages returns the names given to install, without the
// =version or /release suffixes apt-get accepts.
func (p *Packages) InstalledPackages() []string {
	var out []string
	for _, n := range p.Install {
		out = append(out, strings.FieldsFunc(n, func(r rune) bool { return r == '=' || r == '/' })[0])
	}
	return out
}

// Check validates the attributes without touching the system.
func (p *Packages) Check() error {
	var errs []error
	for _, l := range []struct {
		attr  string
		names []string
	}{{"install", p.Install}, {"remove", p.Remove}, {"purge", p.Purge}} {
		for _, n := range l.names {
			if !pkgRE.MatchString(n) {
				errs = append(errs, check.Fieldf(l.attr, "%q is not a Debian package name (like openssh-server, or name=version)", n))
			}
		}
	}
	installed := map[string]bool{}
	for _, n := range p.Install {
		installed[n] = true
	}
	for _, n := range append(append([]string(nil), p.Remove...), p.Purge...) {
		if installed[n] {
			errs = append(errs, check.Fieldf("install", "%s is both installed and removed", n))
		}
	}
	if len(p.Install)+len(p.Remove)+len(p.Purge) == 0 && !p.Upgrade {
		errs = append(errs, check.Fieldf("", "nothing to do: set install, remove, purge or upgrade"))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (p *Packages) Summary() string {
	var parts []string
	if p.Upgrade {
		parts = append(parts, "upgrade")
	}
	if len(p.Install) > 0 {
		parts = append(parts, "install "+strings.Join(p.Install, " "))
	}
	if len(p.Remove) > 0 {
		parts = append(parts, "remove "+strings.Join(p.Remove, " "))
	}
	if len(p.Purge) > 0 {
		parts = append(parts, "purge "+strings.Join(p.Purge, " "))
	}
	s := "packages: " + strings.Join(parts, "; ")
	if p.Recommends && len(p.Install) > 0 {
		s += " (with recommends)"
	}
	return s
}

var aptEnv = []string{"DEBIAN_FRONTEND=noninteractive", "DEBCONF_NONINTERACTIVE_SEEN=true"}

// aptGet is apt-get with the options every call shares.
func aptGet(args ...string) []string {
	base := []string{"apt-get", "-y", "-q",
		"-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"}
	return append(base, args...)
}

// Apply runs apt-get inside the root.
func (p *Packages) Apply(ctx context.Context, env *Env) error {
	update := p.Upgrade
	if !update && len(p.Install) > 0 {
		stale, err := aptListsStale(ctx, env)
		if err != nil {
			return err
		}
		update = stale
	}
	for _, c := range p.commands(update) {
		if err := runTool(ctx, env, aptEnv, c...); err != nil {
			return err
		}
	}
	return nil
}

// commands returns the apt-get argvs to run, in order.
func (p *Packages) commands(update bool) [][]string {
	var cmds [][]string
	if update {
		// Translations are for people reading apt's output, not images; a
		// repository that fails to update fails the step rather than
		// leaving stale lists behind a warning.
		cmds = append(cmds, aptGet("-o", "Acquire::Languages=none", "-o", "APT::Update::Error-Mode=any", "update"))
	}
	if p.Upgrade {
		cmds = append(cmds, aptGet("dist-upgrade"))
	}
	if len(p.Install) > 0 {
		args := []string{"install", "--no-install-recommends"}
		if p.Recommends {
			args[1] = "--install-recommends"
		}
		cmds = append(cmds, aptGet(append(args, p.Install...)...))
	}
	if len(p.Remove) > 0 {
		cmds = append(cmds, aptGet(append([]string{"remove"}, p.Remove...)...))
	}
	if len(p.Purge) > 0 {
		cmds = append(cmds, aptGet(append([]string{"purge"}, p.Purge...)...))
	}
	return cmds
}

// aptListsStale reports whether some configured repository has no
// downloaded index yet (a minbase root with cleaned lists, or a source an
// apt_source step just added), so apt-get update must run. apt itself
// tells: indextargets lists every configured repository with
// --no-release-info, and only those whose Release it holds without.
func aptListsStale(ctx context.Context, env *Env) (bool, error) {
	repos := func(flags ...string) (map[string]bool, error) {
		args := append([]string{"apt-get", "indextargets"}, flags...)
		out, err := env.Root.Output(ctx, append(args, "--format", "$(REPO_URI) $(RELEASE)", "Created-By: Packages")...)
		if err != nil {
			return nil, fmt.Errorf("listing apt index targets: %w", err)
		}
		set := map[string]bool{}
		for _, l := range strings.Split(string(out), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				set[l] = true
			}
		}
		return set, nil
	}
	all, err := repos("--no-release-info")
	if err != nil {
		return false, err
	}
	known, err := repos()
	if err != nil {
		return false, err
	}
	for r := range all {
		if !known[r] {
			return true, nil
		}
	}
	return false, nil
}
