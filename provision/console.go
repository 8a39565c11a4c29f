package provision

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/chrootbuild/chrootbuild/check"
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
	Serial     string `hcl:"serial,optional"`
	Baud       int    `hcl:"baud,optional"`
	DisableVTs bool   `hcl:"disable_vts,optional"`
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
		errs = append(errs, check.Fieldf("baud", "%d is not a serial speed (one of %v)", c.Baud, bauds))
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

// Apply sets up the gettys.
func (c *Console) Apply(ctx context.Context, env *Env) error {
	return errors.New("console: not implemented yet")
}
