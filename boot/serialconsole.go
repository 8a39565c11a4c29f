package boot

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"

	"github.com/chrootbuild/chrootbuild/arch"
)

// imageConsoles lists the serial devices the image enables a getty on:
// serial-getty@DEV.service linked in a .wants folder of
// /etc/systemd/system (what the console step writes).
func imageConsoles(root *chroot.Root) []string {
	links, _ := root.Glob("/etc/systemd/system/*.wants/serial-getty@*.service")
	seen := map[string]bool{}
	var out []string
	for _, l := range links {
		dev := strings.TrimSuffix(strings.TrimPrefix(path.Base(l), "serial-getty@"), ".service")
		if dev != "" && !seen[dev] {
			seen[dev] = true
			out = append(out, dev)
		}
	}
	sort.Strings(out)
	return out
}

// loginConsole is the device the boot check expects the login prompt on:
// the image's own serial getty on the machine's console. An image with no
// serial getty gets the one systemd's generator starts on the kernel's
// console; an image whose gettys are all on devices the machine does not
// have fails, quoting them.
func loginConsole(info *ImageInfo, m arch.VM) (string, error) {
	if len(info.Consoles) == 0 {
		return m.Console, nil
	}
	for _, c := range info.Consoles {
		if c == m.Console {
			return c, nil
		}
	}
	return "", fmt.Errorf("the image's serial getty is on %s (serial-getty@%s.service), which a %s %s machine does not have: its serial console is %s (set the console step's serial to %s)",
		strings.Join(info.Consoles, ", "), info.Consoles[0], info.Arch, m.Machine, m.Console, m.Console)
}
