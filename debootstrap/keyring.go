package debootstrap

import (
	"bytes"
	"embed"
	"fmt"
	"os"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// keyrings holds the archive keyrings shipped with chrootbuild: Debian's
// from the debian-archive-keyring package, and the Ubuntu Archive
// Automatic Signing Key (2018), fingerprint
// F6ECB3762474EDA9D21B7022871920D1991BC93C (checked by a test).
//
//go:embed keyrings/debian-archive-keyring.gpg keyrings/ubuntu-archive-keyring.asc
var keyrings embed.FS

func debianKeyring() ([]byte, error) {
	return keyrings.ReadFile("keyrings/debian-archive-keyring.gpg")
}

func ubuntuKeyring() ([]byte, error) {
	return keyrings.ReadFile("keyrings/ubuntu-archive-keyring.asc")
}

// loadKeyring reads the keyring at path, or the distribution's shipped one
// when path is empty. Binary and ASCII-armored keyrings are both accepted.
func loadKeyring(d distro, path string) (openpgp.EntityList, []byte, error) {
	var data []byte
	var err error
	name := d.name + " archive keyring"
	if path == "" {
		data, err = d.keyring()
	} else {
		name = path
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading keyring %s: %w", name, err)
	}
	keys, err := parseKeyring(data)
	if err != nil {
		return nil, nil, fmt.Errorf("reading keyring %s: %w", name, err)
	}
	return keys, data, nil
}

func parseKeyring(data []byte) (openpgp.EntityList, error) {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN")) {
		return openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	}
	return openpgp.ReadKeyRing(bytes.NewReader(data))
}
