package debootstrap

import (
	"fmt"
	"runtime"
	"slices"
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
func ubuntuMirror(arch string) string {
	if arch == "amd64" || arch == "i386" {
		return "http://archive.ubuntu.com/ubuntu"
	}
	return "http://ports.ubuntu.com/ubuntu-ports"
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
// for arch, the same list as debootstrap's setup_merged_usr.
func mergedDirs(arch string) []string {
	dirs := []string{"bin", "sbin", "lib"}
	switch arch {
	case "amd64":
		dirs = append(dirs, "lib32", "lib64", "libx32")
	case "i386":
		dirs = append(dirs, "lib64", "libx32")
	case "ppc64el":
		dirs = append(dirs, "lib64")
	case "s390x":
		dirs = append(dirs, "lib32")
	}
	return dirs
}

// hostArch maps the Go architecture of this binary to Debian's name.
func hostArch() string {
	switch runtime.GOARCH {
	case "arm":
		return "armhf"
	case "386":
		return "i386"
	case "ppc64le":
		return "ppc64el"
	}
	return runtime.GOARCH
}

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
