package debootstrap

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
		if err := writeInRoot(b.dir, rel, b.keyData); err != nil {
			return err
		}
		extra = "Signed-By: " + rel + "\n"
	default:
		extra = "Signed-By: " + b.dist.keyringOn + "\n"
	}
	text := fmt.Sprintf("Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\n%s",
		b.mirror, b.opt.Suite, strings.Join(b.opt.Components, " "), extra)
	return writeInRoot(b.dir, "/etc/apt/sources.list.d/"+b.dist.name+".sources", []byte(text))
}

// writeFstab writes the stub /etc/fstab debootstrap writes when the
// packages left none: dhclient-script reads it on every lease (and dash
// stops there when it is missing, so every lease was declined).
func writeFstab(b *builder) error {
	if _, err := os.Lstat(filepath.Join(b.dir, "etc/fstab")); err == nil {
		return nil
	}
	return writeInRoot(b.dir, "/etc/fstab", []byte("# UNCONFIGURED FSTAB FOR BASE SYSTEM\n"))
}

// writeInRoot writes a file the packages never touch, aside and renamed.
func writeInRoot(dir, rel string, data []byte) error {
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	return nil
}
