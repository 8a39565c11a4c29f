package boot

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/pack"
)

// checkImage checks that path is a root tar or a root folder (one holding
// etc/os-release). A build's output folder is not: builder.Boot finds the
// root archive its build result names.
func checkImage(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("opening image %s: %w", path, err)
	}
	if fi.IsDir() && !exists(filepath.Join(path, "etc", "os-release")) && !exists(filepath.Join(path, "usr", "lib", "os-release")) {
		return "", fmt.Errorf("opening image %s: a folder without etc/os-release is not a root (boot a build's output folder with chrootbuild boot, or give its tar)", path)
	}
	return path, nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// unpack copies image (a folder or a tar) to a root folder under work, so
// the disk can get the kernel's modules without touching the image.
func unpack(ctx context.Context, image, work string) (string, error) {
	root := filepath.Join(work, "root")
	cmd := exec.CommandContext(ctx, "cp", "-a", "--reflink=auto", image, root)
	if fi, err := os.Stat(image); err != nil || !fi.IsDir() {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return "", err
		}
		cmd = exec.CommandContext(ctx, "tar", "-C", root, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xapf", image)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("unpacking %s: %v: %s", image, err, out)
	}
	return root, nil
}

// ImageInfo is what boot needs to know about an image.
type ImageInfo struct {
	Distribution string   // os-release ID
	Suite        string   // os-release VERSION_CODENAME
	Arch         string   // Debian architecture of the image's dpkg
	Consoles     []string // devices of the serial gettys the image enables
}

// inspect reads the distribution, suite and architecture of a root; every
// path is resolved inside it (etc/os-release is a symlink).
func inspect(dir string) (*ImageInfo, error) {
	root, err := chroot.Open(dir)
	if err != nil {
		return nil, err
	}
	osr, err := readKeyValues(root, "/etc/os-release", "=")
	if err != nil {
		osr, err = readKeyValues(root, "/usr/lib/os-release", "=")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the image's os-release: %w", err)
	}
	info := &ImageInfo{Distribution: osr["ID"], Suite: osr["VERSION_CODENAME"]}
	arch, err := dpkgArch(root, "/var/lib/dpkg/status")
	if err != nil {
		return nil, err
	}
	info.Arch = arch
	info.Consoles = imageConsoles(root)
	if info.Distribution == "" || info.Suite == "" {
		return nil, fmt.Errorf("reading the image's os-release: no ID or VERSION_CODENAME")
	}
	return info, nil
}

func readKeyValues(root *chroot.Root, name, sep string) (map[string]string, error) {
	data, err := root.ReadFile(name)
	if err != nil {
		return nil, err
	}
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), sep)
		if ok {
			kv[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return kv, sc.Err()
}

// dpkgArch reads the architecture of the dpkg package from dpkg's status.
func dpkgArch(root *chroot.Root, status string) (string, error) {
	b, err := root.ReadFile(status)
	if err != nil {
		return "", fmt.Errorf("reading the image's architecture: %w", err)
	}
	for _, para := range strings.Split(string(b), "\n\n") {
		if !strings.HasPrefix(para, "Package: dpkg\n") {
			continue
		}
		for _, line := range strings.Split(para, "\n") {
			if a, ok := strings.CutPrefix(line, "Architecture: "); ok {
				return a, nil
			}
		}
	}
	return "", fmt.Errorf("reading the image's architecture: no dpkg in %s", status)
}

// makeDisk writes an ext4 disk of root with the kernel's modules added (the
// platform's boot script supplies kernel and modules; the image has none).
// Both go through chroot.Root: the image may hold symlinks anywhere.
func makeDisk(ctx context.Context, dir string, k *Kernel, disk, journalDev string, timeScale int) error {
	root, err := chroot.Open(dir)
	if err != nil {
		return err
	}
	if err := addModules(ctx, root, k); err != nil {
		return err
	}
	if journalDev != "" {
		if err := journalDropIn(root, journalDev); err != nil {
			return err
		}
	}
	if timeScale > 1 {
		if err := slowDropIn(root, timeScale); err != nil {
			return err
		}
	}
	out := &pack.Ext4{Path: filepath.Base(disk), Size: "4G", Label: "root"}
	env := &pack.Env{RootDir: dir, OutDir: filepath.Dir(disk), Log: nil}
	if err := out.Write(ctx, env); err != nil {
		return fmt.Errorf("making the boot disk: %w", err)
	}
	return nil
}

// addModules copies the kernel's modules into the root unless it has them.
func addModules(ctx context.Context, root *chroot.Root, k *Kernel) error {
	mods := "/usr/lib/modules/" + k.Version
	if _, err := root.Lstat(mods); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := root.CopyDirIn(ctx, k.Modules, mods); err != nil {
		return fmt.Errorf("adding the kernel's modules to the disk: %w", err)
	}
	return nil
}

// slowDropIn stretches systemd's own start and device time limits (90 s)
// by the machine's TimeScale on the boot disk (not the image): under TCG
// of a foreign instruction set udev takes minutes to announce the serial
// port, and the getty gave up on /dev/ttyAMA0 after 90 s on a loaded host.
func slowDropIn(root *chroot.Root, scale int) error {
	const dir = "/etc/systemd/system.conf.d"
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("adding the emulation time limits to the disk: %w", err)
	}
	limit := fmt.Sprintf("%ds", 90*scale)
	conf := "# chrootbuild boot: systemd's time limits times " + fmt.Sprint(scale) + " under emulation.\n" +
		"[Manager]\nDefaultDeviceTimeoutSec=" + limit + "\nDefaultTimeoutStartSec=" + limit + "\n"
	if err := root.WriteFile(dir+"/zz-chrootbuild-boot.conf", []byte(conf), 0o644); err != nil {
		return fmt.Errorf("adding the emulation time limits to the disk: %w", err)
	}
	return nil
}

// journalDropIn makes journald copy every message to a second serial port
// of the boot disk (not the image), so that a check failing while SSH is
// down can quote the guest's own account (sshd's complaint, the unit that
// failed); systemd stops writing status lines to the console once a getty
// runs there.
func journalDropIn(root *chroot.Root, dev string) error {
	const dir = "/etc/systemd/journald.conf.d"
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("adding the journal copy to the disk: %w", err)
	}
	conf := "# chrootbuild boot: the journal on " + dev + " for the checks' evidence.\n" +
		"[Journal]\nForwardToConsole=yes\nTTYPath=/dev/" + dev + "\nMaxLevelConsole=info\n"
	if err := root.WriteFile(dir+"/zz-chrootbuild-boot.conf", []byte(conf), 0o644); err != nil {
		return fmt.Errorf("adding the journal copy to the disk: %w", err)
	}
	return nil
}
