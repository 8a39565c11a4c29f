package boot

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// toolPackages are the host packages whose programs drive mkinitramfs
// and its hooks (shell, coreutils, sed, grep, find, cpio, compressors)
// without ever being copied into the initramfs. Everything it copies
// (klibc, busybox, udev, kmod, fsck, the libraries ldd names) and what
// must answer for the target (dpkg, ldd, modprobe, depmod) stays the
// target's.
var toolPackages = []string{"dash", "bash", "coreutils", "sed", "grep", "findutils", "cpio", "zstd", "gzip"}

// nativeTools replaces, in a throw-away foreign root, the programs of
// toolPackages with the host's, together with the host libraries they
// load (their multiarch folders do not clash with the target's). It
// needs the host's dpkg file lists; without them it does nothing and the
// tools stay emulated.
func nativeTools(root *chroot.Root) (int, error) {
	progs := hostPrograms()
	libs := map[string]bool{}
	n := 0
	for _, p := range progs {
		fi, err := root.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue // only programs the root has, at the same path
		}
		if err := copyHostFile(root, p, 0o755); err != nil {
			return n, err
		}
		n++
		for _, l := range hostLibraries(p) {
			libs[l] = true
		}
	}
	k, err := nativeKmod(root, libs)
	if err != nil {
		return n, err
	}
	for l := range libs {
		if err := copyHostFile(root, l, 0o755); err != nil {
			return n, err
		}
	}
	return n + k, nil
}

// nativeKmodDir holds the host's kmod in the root, apart from the
// target's, which the initramfs gets.
const nativeKmodDir = "/usr/lib/chrootbuild-native"

// nativeKmod gives mkinitramfs a native modinfo and depmod (it calls them
// through its PATH, /usr/bin first, once per module for modinfo) while
// copy_exec still copies the target's /bin/kmod and /sbin/modprobe by
// their absolute paths. Module files are the same whatever reads them.
func nativeKmod(root *chroot.Root, libs map[string]bool) (int, error) {
	host, err := exec.LookPath("kmod")
	if err != nil {
		return 0, nil // no kmod here: they stay emulated
	}
	n := 0
	for _, name := range []string{"/usr/bin/modinfo", "/usr/bin/depmod"} {
		if _, err := root.Lstat(name); err == nil {
			continue // the root has its own there: leave it
		}
		if n == 0 {
			data, err := os.ReadFile(host)
			if err != nil {
				return 0, fmt.Errorf("reading the host's %s: %w", host, err)
			}
			if err := root.MkdirAll(nativeKmodDir, 0o755); err != nil {
				return 0, err
			}
			if err := root.WriteFile(nativeKmodDir+"/kmod", data, 0o755); err != nil {
				return 0, err
			}
			for _, l := range hostLibraries(host) {
				libs[l] = true
			}
		}
		if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
			return n, err
		}
		if err := root.Symlink(nativeKmodDir+"/kmod", name); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// hostPrograms lists the executables of toolPackages on the host.
func hostPrograms() []string {
	var out []string
	for _, pkg := range toolPackages {
		list, err := os.ReadFile("/var/lib/dpkg/info/" + pkg + ".list")
		if m, _ := filepath.Glob("/var/lib/dpkg/info/" + pkg + ":*.list"); err != nil && len(m) > 0 {
			list, _ = os.ReadFile(m[0])
		}
		for _, f := range strings.Fields(string(list)) {
			dir := filepath.Dir(f)
			if dir != "/bin" && dir != "/usr/bin" && dir != "/sbin" && dir != "/usr/sbin" {
				continue
			}
			if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				out = append(out, f)
			}
		}
	}
	return out
}

// hostLibraries lists the shared libraries and the loader that ldd names
// for a host program.
func hostLibraries(prog string) []string {
	out, err := exec.Command("ldd", prog).Output()
	if err != nil {
		return nil // static, or not a program
	}
	var libs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 3 && f[1] == "=>" && strings.HasPrefix(f[2], "/"):
			libs = append(libs, f[2])
		case len(f) >= 1 && strings.HasPrefix(f[0], "/"):
			libs = append(libs, f[0])
		}
	}
	return libs
}

// mergedTopDir makes a missing top-level folder of name (the host's
// /lib64 of its loader, in an arm64 root) the way a merged-/usr root has
// its own, a symlink into /usr, so usr-is-merged's postinst finds nothing
// to convert.
func mergedTopDir(root *chroot.Root, name string) error {
	top := "/" + strings.SplitN(strings.TrimPrefix(name, "/"), "/", 2)[0]
	if top == "/usr" || top == name {
		return nil
	}
	if _, err := root.Lstat(top); err == nil {
		return nil
	}
	if fi, err := root.Lstat("/lib"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return nil // not merged: a plain folder, made by MkdirAll
	}
	if err := root.MkdirAll("/usr"+top, 0o755); err != nil {
		return err
	}
	return root.Symlink("usr"+top, top)
}

// copyHostFile copies a host file (following links) to the same path in
// the root, resolved inside the root.
func copyHostFile(root *chroot.Root, name string, perm os.FileMode) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("reading the host's %s: %w", name, err)
	}
	if err := mergedTopDir(root, name); err != nil {
		return err
	}
	if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return root.WriteFile(name, data, perm)
}
