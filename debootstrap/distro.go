package debootstrap

import (
	"fmt"
	"slices"

	"github.com/chrootbuild/chrootbuild/arch"
)

// distro holds what differs between Debian and Ubuntu: keyring, default
// mirror per architecture, default components and where merged /usr
// starts. Everything else runs the same code path.
type distro struct {
	name       string
	keyring    func() ([]byte, error)
	keyringOn  string // where the distribution's keyring package puts it in the image
	mirror     func(arch string) string
	components []string
	splitUsr   []string // suites that still have a split /usr
}

var distros = map[string]distro{
	"debian": {
		name:       "debian",
		keyring:    debianKeyring,
		keyringOn:  "/usr/share/keyrings/debian-archive-keyring.gpg",
		mirror:     func(string) string { return "http://deb.debian.org/debian" },
		components: []string{"main"},
		splitUsr:   []string{"jessie", "stretch", "buster", "bullseye"},
	},
	"ubuntu": {
		name:       "ubuntu",
		keyring:    ubuntuKeyring,
		keyringOn:  "/usr/share/keyrings/ubuntu-archive-keyring.gpg",
		mirror:     ubuntuMirror,
		components: []string{"main", "universe"},
		splitUsr:   []string{"trusty", "xenial", "bionic"},
	},
}

// ubuntuMirror returns Ubuntu's archive for the architecture: the main
// archive carries only amd64 and i386, the rest live on ports.
func ubuntuMirror(name string) string {
	if a, err := arch.Lookup(name); err == nil && a.Ports {
		return "http://ports.ubuntu.com/ubuntu-ports"
	}
	return "http://archive.ubuntu.com/ubuntu"
}

func lookupDistro(name string) (distro, error) {
	if name == "" {
		name = "debian"
	}
	d, ok := distros[name]
	if !ok {
		return distro{}, fmt.Errorf("unknown distribution %q (want debian or ubuntu)", name)
	}
	return d, nil
}

// mergedUsr reports whether suite gets /bin, /sbin and /lib as symlinks
// into /usr, as debootstrap does for Debian bookworm and Ubuntu cosmic on.
func (d distro) mergedUsr(suite string) bool { return !slices.Contains(d.splitUsr, suite) }

// mergedDirs lists the top-level folders that become symlinks into /usr
// for an architecture, the same list as debootstrap's setup_merged_usr.
func mergedDirs(name string) []string {
	a, err := arch.Lookup(name)
	if err != nil {
		return (&arch.Arch{}).MergedDirs()
	}
	return a.MergedDirs()
}

// hostArch is the Debian name of the architecture this binary runs as.
func hostArch() string { return arch.Host().Debian }

// DefaultMirror returns the mirror Bootstrap uses when Options.Mirror is
// empty, for a distribution ("" is debian) and an architecture ("" is the
// host's).
func DefaultMirror(distribution, arch string) (string, error) {
	d, err := lookupDistro(distribution)
	if err != nil {
		return "", err
	}
	if arch == "" {
		arch = hostArch()
	}
	return d.mirror(arch), nil
}
