package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/chrootbuild/chrootbuild/chroot"
)

// sshdCheckDir holds the throw-away host key sshd needs to test a
// configuration; the image must not keep host keys of its own.
const sshdCheckDir = "/var/tmp/chrootbuild-sshd-check"

// verify runs the image's `sshd -T` on the result and compares the
// effective values with the asked ones. sshd runs as nobody: as root it
// insists on /run/sshd, which does not live between two commands here.
func (s *SSHServer) verify(ctx context.Context, r *chroot.Root) error {
	defer r.RemoveAll(sshdCheckDir)
	if err := r.MkdirAll(sshdCheckDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", sshdCheckDir, err)
	}
	key := sshdCheckDir + "/host_ed25519_key"
	if _, err := runIn(ctx, r, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key); err != nil {
		return fmt.Errorf("making a temporary host key to test sshd: %w", err)
	}
	if err := r.Lchown(key, 65534, 65534); err != nil {
		return fmt.Errorf("changing owner of %s: %w", key, err)
	}
	out, err := runIn(ctx, r, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		"/usr/sbin/sshd", "-T", "-h", key)
	if err != nil {
		return fmt.Errorf("testing the configuration with sshd -T: %w", err)
	}
	return s.compare(sshdOptions(string(out)))
}

// compare checks the effective options against the attributes, which
// catches another file's value winning over the drop-in's.
func (s *SSHServer) compare(opts map[string][]string) error {
	prl := s.PermitRootLogin
	if prl == "without-password" {
		prl = "prohibit-password"
	}
	want := map[string]string{
		"permitrootlogin":        prl,
		"passwordauthentication": yesNo(s.PasswordAuthentication),
		"pubkeyauthentication":   yesNo(s.PubkeyAuthentication),
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(want)) {
		got := strings.Join(opts[k], " ")
		if got == "without-password" {
			got = "prohibit-password" // the name sshd -T prints up to now
		}
		if got != want[k] {
			errs = append(errs, fmt.Errorf("sshd -T shows %s %s, not %s: another file sets it first", k, got, want[k]))
		}
	}
	if len(s.AcceptEnv) == 0 && len(opts["acceptenv"]) > 0 {
		errs = append(errs, fmt.Errorf("sshd -T still shows acceptenv %s", strings.Join(opts["acceptenv"], " ")))
	}
	return errors.Join(errs...)
}

// runIn runs args in the root and returns its output; a failure carries
// the command's standard error.
func runIn(ctx context.Context, r *chroot.Root, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	err := r.Run(ctx, chroot.Cmd{Args: args, Stdout: &stdout, Stderr: &stderr})
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("%s: %w: %s", args[0], err, lastLines(msg, 5))
		}
		return nil, fmt.Errorf("%s: %w", args[0], err)
	}
	return stdout.Bytes(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}

// editRootFile rewrites name in the root through edit, keeping its mode;
// a missing file is left missing.
func editRootFile(r *chroot.Root, name string, edit func(string) (string, bool)) error {
	fi, err := r.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	data, err := r.ReadFile(name)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	out, changed := edit(string(data))
	if !changed {
		return nil
	}
	if err := r.WriteFile(name, []byte(out), fi.Mode().Perm()); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
