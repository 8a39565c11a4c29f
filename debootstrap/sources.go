package debootstrap

import (
	"fmt"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// writeSources writes the mirror as a deb822 sources file so that
// apt-get update works in the image. A keyring given by the user is copied
// into the image and named by Signed-By; an insecure archive is marked
// trusted, as it was when it was bootstrapped.
func writeSources(b *builder) error {
	var extra string
	switch {
	case b.opt.Insecure:
		extra = "Trusted: yes\n"
	case b.opt.Keyring != "":
		rel := "/etc/apt/keyrings/chrootbuild-" + b.dist.name + ".gpg"
		if err := writeInRoot(b.root, rel, b.keyData); err != nil {
			return err
		}
		extra = "Signed-By: " + rel + "\n"
	default:
		extra = "Signed-By: " + b.dist.keyringOn + "\n"
	}
	text := fmt.Sprintf("Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\n%s",
		b.mirror, b.opt.Suite, strings.Join(b.opt.Components, " "), extra)
	return writeInRoot(b.root, "/etc/apt/sources.list.d/"+b.dist.name+".sources", []byte(text))
}

// writeFstab writes the stub /etc/fstab debootstrap writes when the
// packages left none: dhclient-script reads it on every lease (and dash
// stops there when it is missing, so every lease was declined).
func writeFstab(b *builder) error {
	if _, err := b.root.Lstat("/etc/fstab"); err == nil {
		return nil
	}
	return writeInRoot(b.root, "/etc/fstab", []byte("# UNCONFIGURED FSTAB FOR BASE SYSTEM\n"))
}

// writeInRoot writes a file the packages never touch, aside and renamed,
// resolving its folder inside the root (the packages may have made it a
// symlink) and replacing, never following, a symlink at its name.
func writeInRoot(root *chroot.Root, rel string, data []byte) error {
	if err := root.MkdirAll(path.Dir(rel), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	if err := root.WriteFile(rel, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	return nil
}
