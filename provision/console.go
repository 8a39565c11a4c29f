package provision

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// Console sets up the consoles a server is reached through:
//
//	provision "console" {
//	  serial      = "ttyS0"   # "" for no serial getty
//	  baud        = 9600
//	  disable_vts = true      # no gettys on tty1..tty6
//	}
//
// The serial getty is systemd's serial-getty@SERIAL.service, enabled, with
// a drop-in that pins agetty to the given speed (systemd's unit otherwise
// lets agetty pick among 115200,57600,38400,9600). disable_vts masks
// getty@tty1..6 and sets NAutoVTs=0 and ReserveVT=0 in a logind drop-in.
type Console struct {
	Serial     string `hcl:"serial,optional"`      // serial device for a getty, like ttyS0 or ttyAMA0; "" for none
	Baud       int    `hcl:"baud,optional"`        // the serial line's speed
	DisableVTs bool   `hcl:"disable_vts,optional"` // no gettys on tty1..tty6
}

func init() {
	register("console", func() Step { return &Console{Serial: "ttyS0", Baud: 9600} })
}

var serialRE = regexp.MustCompile(`^tty(S|AMA|USB|ACM|PS|mxc|O|SAC|MFD|hvc|LP|AML|MSM|SC)[0-9]{1,3}$|^hvc[0-9]{1,3}$`)

// bauds are the speeds agetty accepts.
var bauds = []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1500000}

// Check validates the attributes without touching the system.
func (c *Console) Check() error {
	var errs []error
	if c.Serial != "" && !serialRE.MatchString(c.Serial) {
		errs = append(errs, check.Fieldf("serial", "%q is not a serial device name (like ttyS0, ttyAMA0, hvc0)", c.Serial))
	}
	ok := false
	for _, b := range bauds {
		ok = ok || b == c.Baud
	}
	if !ok {
		errs = append(errs, check.Fieldf("baud", "%d is not a serial speed (one of %s)", c.Baud, strings.Trim(fmt.Sprint(bauds), "[]")))
	}
	if c.Serial == "" && !c.DisableVTs {
		errs = append(errs, check.Fieldf("serial", "nothing to do: give a serial device or disable_vts = true"))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (c *Console) Summary() string {
	s := "console"
	if c.Serial != "" {
		s += fmt.Sprintf(" serial %s at %s bps", c.Serial, strconv.Itoa(c.Baud))
	}
	if c.DisableVTs {
		s += ", VT gettys disabled"
	}
	return s
}

// Apply enables the serial getty at the given speed and turns the VT
// gettys off.
func (c *Console) Apply(ctx context.Context, env *Env) error {
	if c.Serial != "" {
		if err := c.serialGetty(env.Root); err != nil {
			return err
		}
	}
	if c.DisableVTs {
		return disableVTs(env.Root)
	}
	return nil
}

// serialGetty writes a drop-in whose ExecStart is the unit's own with the
// speed list replaced by the one speed, then enables the instance.
func (c *Console) serialGetty(r *chroot.Root) error {
	unit := "serial-getty@" + c.Serial + ".service"
	f, err := findUnit(r, unit, 0)
	if err != nil {
		return fmt.Errorf("setting up the serial console: %w", err)
	}
	exec, err := pinBaud(execStart(f.data), c.Baud)
	if err != nil {
		return fmt.Errorf("setting up the serial console: %s: %w", f.path, err)
	}
	dropIn := path.Join(etcUnits, unit+".d", "chrootbuild-baud.conf")
	conf := "# Written by chrootbuild (provision \"console\"): the serial getty at one speed.\n" +
		"[Service]\nExecStart=\nExecStart=" + exec + "\n"
	if err := r.MkdirAll(path.Dir(dropIn), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", path.Dir(dropIn), err)
	}
	if err := r.WriteFile(dropIn, []byte(conf), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", dropIn, err)
	}
	return enableUnit(r, unit, map[string]bool{})
}

// disableVTs removes and masks the gettys on tty1..tty6 and keeps logind
// from starting new ones (autovt@) when a VT is switched to.
func disableVTs(r *chroot.Root) error {
	if err := disableUnit(r, "getty@.service", map[string]bool{}); err != nil {
		return fmt.Errorf("disabling the VT gettys: %w", err)
	}
	for i := 1; i <= 6; i++ {
		if err := maskUnit(r, fmt.Sprintf("getty@tty%d.service", i)); err != nil {
			return err
		}
	}
	const logind = "/etc/systemd/logind.conf.d/chrootbuild-novt.conf"
	if err := r.MkdirAll(path.Dir(logind), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", path.Dir(logind), err)
	}
	conf := "# Written by chrootbuild (provision \"console\"): no gettys on VTs.\n[Login]\nNAutoVTs=0\nReserveVT=0\n"
	if err := r.WriteFile(logind, []byte(conf), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", logind, err)
	}
	return nil
}

// execStart returns the last ExecStart= value of a unit's [Service].
func execStart(unit string) string {
	v, section := "", ""
	for _, l := range unitLines(unit) {
		if strings.HasPrefix(l, "[") {
			section = l
		} else if k, val, ok := strings.Cut(l, "="); ok && section == "[Service]" && strings.TrimSpace(k) == "ExecStart" {
			v = strings.TrimSpace(val)
		}
	}
	return v
}

var baudListRE = regexp.MustCompile(`^[0-9]+(,[0-9]+)*$`)

// pinBaud rewrites an agetty command line to one speed: the speed list
// becomes baud and --keep-baud (keep the speed the line had) goes.
func pinBaud(exec string, baud int) (string, error) {
	if !strings.Contains(exec, "agetty") {
		return "", fmt.Errorf("ExecStart %q does not run agetty", exec)
	}
	var out []string
	found := false
	for _, w := range strings.Split(exec, " ") {
		switch {
		case w == "--keep-baud" || w == "-s":
			continue
		case !found && baudListRE.MatchString(w):
			w, found = strconv.Itoa(baud), true
		}
		out = append(out, w)
	}
	if !found {
		return "", fmt.Errorf("ExecStart %q has no speed list to replace", exec)
	}
	return strings.Join(out, " "), nil
}
