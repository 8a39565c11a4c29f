package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// hostKeyAlias names the guest in known_hosts, whatever port QEMU
// forwards.
const hostKeyAlias = "chrootbuild-boot-guest"

// hostKey is the guest's SSH host key, made by boot for one boot.
type hostKey struct {
	private    string // the key file on the host
	public     string // its public line
	knownHosts string // a known_hosts file pinning it under hostKeyAlias
}

// newHostKey makes an ed25519 host key under dir and a known_hosts file
// naming it as the only key of hostKeyAlias.
func newHostKey(ctx context.Context, dir, name string) (*hostKey, error) {
	k := &hostKey{private: filepath.Join(dir, name), knownHosts: filepath.Join(dir, name+".known_hosts")}
	pub, err := keygen(ctx, k.private, "chrootbuild-boot-host")
	if err != nil {
		return nil, fmt.Errorf("generating the guest's SSH host key: %w", err)
	}
	k.public = pub
	fields := strings.Fields(pub)
	line := hostKeyAlias + " " + strings.Join(fields[:2], " ") + "\n"
	if err := os.WriteFile(k.knownHosts, []byte(line), 0o600); err != nil {
		return nil, fmt.Errorf("writing %s: %w", k.knownHosts, err)
	}
	return k, nil
}

// place puts the key on the boot disk's root (never the image) as sshd's
// ed25519 host key, through chroot.Root so no link in the image leads the
// write elsewhere. A first-boot unit that makes missing host keys
// (ssh-keygen -A) still makes the other types.
func (k *hostKey) place(root string) error {
	r, err := chroot.Open(root)
	if err != nil {
		return err
	}
	priv, err := os.ReadFile(k.private)
	if err != nil {
		return err
	}
	const dst = "/etc/ssh/ssh_host_ed25519_key"
	if err := r.MkdirAll("/etc/ssh", 0o755); err != nil {
		return fmt.Errorf("placing the SSH host key on the boot disk: %w", err)
	}
	if err := r.WriteFile(dst, priv, 0o600); err != nil {
		return fmt.Errorf("placing the SSH host key on the boot disk: %w", err)
	}
	if err := r.WriteFile(dst+".pub", []byte(k.public+"\n"), 0o644); err != nil {
		return fmt.Errorf("placing the SSH host key on the boot disk: %w", err)
	}
	return nil
}
