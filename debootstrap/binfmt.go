package debootstrap

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/sys/unix"
)

// qemuCPU maps a Debian architecture to its qemu-user name and the ELF
// header magic and mask binfmt_misc matches (from qemu's
// qemu-binfmt-conf.sh).
var qemuCPU = map[string]struct{ cpu, magic, mask string }{
	"arm64": {"aarch64",
		`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00`,
		`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`},
	"armhf": {"arm",
		`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00`,
		`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`},
	"armel": {"arm",
		`\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00`,
		`\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`},
	"amd64": {"x86_64",
		`\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00`,
		`\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`},
}

const binfmtDir = "/proc/sys/fs/binfmt_misc"

// needsEmulation reports whether binaries of arch cannot run natively
// here. An arm64 host is taken to run 32-bit ARM natively (most do; on a
// CPU without AArch32, register qemu-arm by hand).
func needsEmulation(arch string) bool {
	host := hostArch()
	if arch == host {
		return false
	}
	return !(host == "arm64" && (arch == "armhf" || arch == "armel"))
}

// setupEmulation makes sure foreign binaries in the root run through a
// static qemu-user registered in binfmt_misc with the F flag: the kernel
// opens the emulator when it is registered, so it never has to be inside
// the root (nothing is copied into the image).
func setupEmulation(arch string, log io.Writer) error {
	if !needsEmulation(arch) {
		return nil
	}
	q, ok := qemuCPU[arch]
	if !ok {
		return fmt.Errorf("no known emulator for architecture %s on a %s host", arch, hostArch())
	}
	if err := mountBinfmt(); err != nil {
		return err
	}
	name := "chrootbuild-qemu-" + q.cpu
	if fixedEntry(name) || fixedEntry("qemu-"+q.cpu) {
		return nil
	}
	interp, err := exec.LookPath("qemu-" + q.cpu + "-static")
	if err != nil {
		return fmt.Errorf("building for %s needs qemu-%s-static (Debian package qemu-user-static): %w", arch, q.cpu, err)
	}
	rule := fmt.Sprintf(":%s:M::%s:%s:%s:F", name, q.magic, q.mask, interp)
	if err := os.WriteFile(binfmtDir+"/register", []byte(rule), 0); err != nil {
		return fmt.Errorf("registering %s in binfmt_misc: %w", interp, err)
	}
	fmt.Fprintf(log, "registered %s for %s binaries in binfmt_misc (flags F)\n", interp, arch)
	return nil
}

// fixedEntry reports whether an enabled binfmt_misc entry of that name has
// the F (fix binary) flag.
func fixedEntry(name string) bool {
	data, err := os.ReadFile(binfmtDir + "/" + name)
	if err != nil {
		return false
	}
	s := string(data)
	if !strings.HasPrefix(s, "enabled") {
		return false
	}
	for _, l := range strings.Split(s, "\n") {
		if f, ok := strings.CutPrefix(l, "flags: "); ok && strings.Contains(f, "F") {
			return true
		}
	}
	return false
}

func mountBinfmt() error {
	if _, err := os.Stat(binfmtDir + "/register"); err == nil {
		return nil
	}
	err := unix.Mount("binfmt_misc", binfmtDir, "binfmt_misc", 0, "")
	if err != nil && !errors.Is(err, unix.EBUSY) {
		return fmt.Errorf("mounting binfmt_misc on %s: %w", binfmtDir, err)
	}
	return nil
}
