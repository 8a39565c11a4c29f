package rootdiff

import (
	"context"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// ByNature are the paths of a freshly installed Debian root that differ
// between two installs of the same packages whatever the install path:
// timestamps, inode numbers, per-process records and random identities.
var ByNature = []string{
	"var/cache/ldconfig/aux-cache", // ldconfig's cache of each library's inode and ctime
	"var/lib/dpkg/status-old",      // dpkg's previous checkpoint: where it falls depends on how many dpkg processes ran
	"var/log/dpkg.log",             // timestamps, and a "startup" line per dpkg process
	"var/log/alternatives.log",     // timestamps
	"var/log/apt/history.log",      // timestamps
	"var/log/apt/term.log",         // timestamps
	"etc/machine-id",               // random
	"var/lib/dbus/machine-id",      // random
	"etc/shadow",                   // the day of each account's last password change: two installs across midnight UTC differ
	"etc/shadow-",                  // shadow's backup, likewise
}

// DpkgQuery returns `dpkg-query -W` of the root at dir: every package with
// its version.
func DpkgQuery(ctx context.Context, dir string) (string, error) {
	root, err := chroot.Open(dir)
	if err != nil {
		return "", err
	}
	out, err := root.Output(ctx, "dpkg-query", "-W")
	if err != nil {
		return "", fmt.Errorf("dpkg-query -W in %s: %w", dir, err)
	}
	return string(out), nil
}

// DpkgClean runs dpkg --audit and dpkg --verify in the root at dir and
// returns an error with their output when either reports anything.
func DpkgClean(ctx context.Context, dir string) error {
	root, err := chroot.Open(dir)
	if err != nil {
		return err
	}
	for _, check := range [][]string{{"dpkg", "--audit"}, {"dpkg", "--verify"}} {
		out, err := root.Output(ctx, check...)
		if err != nil || strings.TrimSpace(string(out)) != "" {
			return fmt.Errorf("%s in %s: %v\n%s", strings.Join(check, " "), dir, err, out)
		}
	}
	return nil
}
