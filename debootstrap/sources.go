package debootstrap

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// trustedLine marks an insecure archive trusted in the sources file for
// the build; FinishSources takes it out of the finished image.
const trustedLine = "Trusted: yes\n"

// sourcesPath is the sources file the bootstrap writes for distribution d.
func sourcesPath(d distro) string { return "/etc/apt/sources.list.d/" + d.name + ".sources" }

// writeSources writes the mirror as a deb822 sources file so that
// apt-get update works in the image. A keyring given by the user is copied
// into the image and named by Signed-By; an insecure archive is marked
// trusted, as it was when it was bootstrapped, until FinishSources.
func writeSources(b *builder) error {
	var extra string
	switch {
	case b.opt.Insecure:
		extra = trustedLine
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
	return writeInRoot(b.root, sourcesPath(b.dist), []byte(text))
}

// FinishSources readies the apt sources of a root bootstrapped with opt
// for the finished image: an insecure archive loses the "Trusted: yes"
// that let the build's own steps use it, unless opt.TrustedInImage, so
// the image's apt does not take unsigned packages from that mirror for
// the rest of its life. Call it on the finished root (the build does, on
// the view its outputs are written from).
func FinishSources(root *chroot.Root, opt Options) error {
	if !opt.Insecure || opt.TrustedInImage {
		return nil
	}
	d, err := lookupDistro(opt.Distribution)
	if err != nil {
		return err
	}
	data, err := root.ReadFile(sourcesPath(d))
	if errors.Is(err, fs.ErrNotExist) {
		return nil // a step removed or replaced it
	}
	if err != nil {
		return fmt.Errorf("finishing the apt sources: %w", err)
	}
	text := strings.Replace(string(data), trustedLine, "", 1)
	if text == string(data) {
		return nil
	}
	if err := root.WriteFile(sourcesPath(d), []byte(text), 0o644); err != nil {
		return fmt.Errorf("finishing the apt sources: %w", err)
	}
	return nil
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
