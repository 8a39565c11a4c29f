package provision

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// KernelModules loads kernel modules at boot through systemd's
// modules-load.d:
//
//	provision "kernel_modules" {
//	  load = ["nbd", "loop"]
//	}
//
// It writes /etc/modules-load.d/chrootbuild.conf, one module a line.
type KernelModules struct {
	Load []string `hcl:"load"`
}

func init() {
	register("kernel_modules", func() Step { return &KernelModules{} })
}

var moduleRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,55}$`)

// Check validates the attributes without touching the system.
func (k *KernelModules) Check() error {
	if len(k.Load) == 0 {
		return check.Fieldf("load", "at least one module is needed")
	}
	var errs []error
	for _, m := range k.Load {
		if !moduleRE.MatchString(m) {
			errs = append(errs, check.Fieldf("load", "%q is not a kernel module name (letters, digits, _ and -)", m))
		}
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (k *KernelModules) Summary() string {
	return "kernel modules at boot: " + strings.Join(k.Load, ", ")
}

// Apply writes the modules-load.d file.
func (k *KernelModules) Apply(ctx context.Context, env *Env) error {
	return errors.New("kernel_modules: not implemented yet")
}
