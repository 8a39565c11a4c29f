package provision

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
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
// It writes /etc/modules-load.d/chrootbuild.conf, one module a line;
// systemd-modules-load reads it at boot.
type KernelModules struct {
	Load []string `hcl:"load"` // module names, like nbd
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

// modulesLoadFile is the file kernel_modules writes.
const modulesLoadFile = "/etc/modules-load.d/chrootbuild.conf"

// Apply writes the modules-load.d file. Several kernel_modules steps add
// to the same file: a module already listed is not listed twice.
func (k *KernelModules) Apply(ctx context.Context, env *Env) error {
	r := env.Root
	old, err := r.ReadFile(modulesLoadFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", modulesLoadFile, err)
	}
	if len(old) == 0 {
		old = []byte("# Written by chrootbuild (provision \"kernel_modules\"): modules loaded at boot.\n")
	}
	lines := strings.Split(strings.TrimSuffix(string(old), "\n"), "\n")
	for _, m := range k.Load {
		if !slices.Contains(lines, m) {
			lines = append(lines, m)
		}
	}
	if err := r.MkdirAll(path.Dir(modulesLoadFile), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", path.Dir(modulesLoadFile), err)
	}
	if err := r.WriteFile(modulesLoadFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", modulesLoadFile, err)
	}
	return nil
}
