package debootstrap

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"

	"golang.org/x/sys/unix"
)

const binfmtDir = "/proc/sys/fs/binfmt_misc"

// setupEmulation makes sure the target's binaries run here, the way the
// table in package arch says: natively, in the CPU's 32-bit mode (the
// chroot sets PER_LINUX32), or through a static qemu-user registered in
// binfmt_misc with the F flag: the kernel opens the emulator when it is
// registered, so it never has to be inside the root (nothing is copied
// into the image). emulated says it is qemu-user.
func setupEmulation(name string, log io.Writer) (emulated bool, err error) {
	target, err := arch.Lookup(name)
	if err != nil {
		return false, err
	}
	e, err := arch.ExecOn(arch.Host(), target, arch.HostCaps())
	if err != nil {
		return false, err
	}
	switch e.Mode {
	case arch.Native:
		return false, nil
	case arch.Compat32:
		fmt.Fprintf(log, "running %s binaries natively in this %s CPU's 32-bit mode (personality PER_LINUX32)\n", name, arch.Host().Debian)
		return false, nil
	}
	if e.Note != "" {
		fmt.Fprintln(log, e.Note)
	}
	return true, registerEmulator(name, e.Emulator, log)
}

// registerEmulator registers the static emulator unless an entry with the
// F flag is there already. When it fails, a binfmt_misc it mounted is
// unmounted again: nothing is left behind.
func registerEmulator(target string, q *arch.Emulator, log io.Writer) (err error) {
	mounted, err := mountBinfmt()
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && mounted {
			unix.Unmount(binfmtDir, 0)
		}
	}()
	name := "chrootbuild-" + q.Binfmt
	if fixedEntry(name) || fixedEntry(q.Binfmt) {
		return nil
	}
	interp, err := exec.LookPath(q.Program)
	if err != nil {
		return fmt.Errorf("building for %s on a %s host needs the binfmt_misc entry %s (with flag F) or %s to register one (Debian package %s): %w",
			target, arch.Host().Debian, q.Binfmt, q.Program, q.Package, err)
	}
	rule := fmt.Sprintf(":%s:M::%s:%s:%s:F", name, q.Magic, q.Mask, interp)
	if err := os.WriteFile(binfmtDir+"/register", []byte(rule), 0); err != nil {
		return fmt.Errorf("registering %s in binfmt_misc: %w", interp, err)
	}
	fmt.Fprintf(log, "registered %s for %s binaries in binfmt_misc (flags F)\n", interp, target)
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

// mountBinfmt mounts binfmt_misc unless it is there, and says whether it did.
func mountBinfmt() (bool, error) {
	if _, err := os.Stat(binfmtDir + "/register"); err == nil {
		return false, nil
	}
	err := unix.Mount("binfmt_misc", binfmtDir, "binfmt_misc", 0, "")
	if err != nil && !errors.Is(err, unix.EBUSY) {
		return false, fmt.Errorf("mounting binfmt_misc on %s: %w", binfmtDir, err)
	}
	return err == nil, nil
}
