package boot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// sshClient runs commands on the guest with the host's OpenSSH client and
// the key boot generated (and put in the metadata). The guest must show
// the host key boot placed on its disk (see hostkey.go): known_hosts pins
// it under hostKeyAlias and anything else is refused.
type sshClient struct {
	key        string // private key file
	knownHosts string // the pinned host key
	port       int
	scale      int // the machine's TimeScale: stretches the connect timeout
}

// newKey makes a throw-away ed25519 key pair under dir and returns the
// client and the public key line.
func newKey(ctx context.Context, dir string, port int) (*sshClient, string, error) {
	key := filepath.Join(dir, "id_ed25519")
	pub, err := keygen(ctx, key, "chrootbuild-boot")
	if err != nil {
		return nil, "", fmt.Errorf("generating the test SSH key: %w", err)
	}
	return &sshClient{key: key, port: port}, pub, nil
}

// keygen makes an ed25519 key pair at path and returns the public line.
func keygen(ctx context.Context, path, comment string) (string, error) {
	cmd := exec.CommandContext(ctx, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v: %s (install openssh-client)", err, out)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(pub)), nil
}

func (s *sshClient) baseArgs(extra ...string) []string {
	args := []string{
		"-p", strconv.Itoa(s.port),
		"-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + s.knownHosts,
		"-o", "GlobalKnownHostsFile=/dev/null", "-o", "HostKeyAlias=" + hostKeyAlias,
		"-o", "HostKeyAlgorithms=ssh-ed25519", "-o", "CheckHostIP=no",
		"-o", "ConnectTimeout=" + strconv.Itoa(10*max(s.scale, 1)), "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
	}
	return append(args, extra...)
}

// Run runs argv as root on the guest and returns its output.
func (s *sshClient) Run(ctx context.Context, argv ...string) (string, error) {
	args := s.baseArgs("-i", s.key, "-o", "IdentitiesOnly=yes", "root@127.0.0.1", "--")
	cmd := exec.CommandContext(ctx, "ssh", append(args, argv...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("ssh %s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// Wait retries a trivial command until SSH answers or timeout passes.
func (s *sshClient) Wait(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		try, cancel := context.WithTimeout(ctx, time.Duration(20*max(s.scale, 1))*time.Second)
		_, err := s.Run(try, "true")
		cancel()
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		time.Sleep(2 * time.Second)
	}
}

// TryPassword attempts a password login and returns what the server
// said: a server that refuses passwords offers only "publickey".
func (s *sshClient) TryPassword(ctx context.Context) string {
	args := s.baseArgs("-o", "PreferredAuthentications=password,keyboard-interactive",
		"-o", "PubkeyAuthentication=no", "-o", "LogLevel=INFO", "root@127.0.0.1", "true")
	out, _ := exec.CommandContext(ctx, "ssh", args...).CombinedOutput()
	return strings.TrimSpace(string(out))
}

// Command is how a user reaches the guest (for --keep).
func (s *sshClient) Command() string {
	return fmt.Sprintf("ssh -i %s -p %d -o UserKnownHostsFile=%s -o HostKeyAlias=%s root@127.0.0.1", s.key, s.port, s.knownHosts, hostKeyAlias)
}
