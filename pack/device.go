package pack

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/chrootbuild/chrootbuild/check"
)

// Device installs the root on a block device (formatted ext4) or on a
// remote NBD export (nbd://host:port[/export]) through chrootbuild's own
// userspace NBD client, so no nbd kernel module is needed.
//
//	output "device" { target = "nbd://192.0.2.7:10809/disk1" }
type Device struct {
	Target string `hcl:"target"`
	// Timeout bounds each NBD handshake step and reply, like "30s".
	Timeout string `hcl:"timeout,optional"`
}

func init() { register("device", func() Output { return &Device{} }) }

// Check validates the target's syntax.
func (d *Device) Check() error {
	if err := CheckTarget(d.Target); err != nil {
		return &check.FieldError{Attr: "target", Err: err}
	}
	if _, err := d.timeout(); err != nil {
		return &check.FieldError{Attr: "timeout", Err: err}
	}
	return nil
}

// timeout parses Timeout; "" is the default, 30 s.
func (d *Device) timeout() (time.Duration, error) {
	if d.Timeout == "" {
		return 0, nil
	}
	t, err := time.ParseDuration(d.Timeout)
	if err != nil || t <= 0 {
		return 0, fmt.Errorf("timeout %q is not a positive duration like \"30s\" or \"2m\"", d.Timeout)
	}
	return t, nil
}

// CheckTarget checks that target is a /dev/ path or an nbd:// URL with a
// host and port.
func CheckTarget(target string) error {
	if strings.HasPrefix(target, "/") {
		if path.Clean(target) != target || !strings.HasPrefix(target, "/dev/") || target == "/dev/" {
			return fmt.Errorf("target %q is not a block device path under /dev/", target)
		}
		return nil
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "nbd" {
		return fmt.Errorf("target %q is neither a /dev/ path nor nbd://host:port[/export]", target)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" || port == "" {
		return fmt.Errorf("target %q needs a host and port (nbd://host:port[/export])", target)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("target %q: only nbd://host:port[/export] is supported", target)
	}
	return nil
}

// OutputTarget returns the device or export as written.
func (d *Device) OutputTarget() string { return d.Target }

// Summary describes the output in one line.
func (d *Device) Summary() string { return "device " + d.Target }

// Write formats the device or export and fills it with the root.
func (d *Device) Write(ctx context.Context, env *Env) error {
	t, err := d.timeout()
	if err != nil {
		return err
	}
	return Install(ctx, env.RootDir, d.Target, InstallOptions{Yes: true, Log: env.Log, Timeout: t})
}
