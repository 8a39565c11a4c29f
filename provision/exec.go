package provision

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// Exec runs one command inside the image, as an argv list (never a shell
// string; write argv = ["sh", "-c", "..."] to ask for a shell explicitly):
//
//	provision "exec" {
//	  argv = ["update-ca-certificates", "--fresh"]
//	  env  = { LC_ALL = "C" }
//	  dir  = "/"
//	}
//
// argv[0] is looked up in the image's PATH. A non-zero exit fails the step.
type Exec struct {
	Argv []string          `hcl:"argv"`
	Env  map[string]string `hcl:"env,optional"`
	Dir  string            `hcl:"dir,optional"`
}

func init() {
	register("exec", func() Step { return &Exec{} })
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Check validates the attributes without touching the system.
func (e *Exec) Check() error {
	var errs []error
	if len(e.Argv) == 0 || e.Argv[0] == "" {
		errs = append(errs, check.Fieldf("argv", "argv must name a program: [\"program\", \"arg\", ...]"))
	} else if len(e.Argv) == 1 && strings.ContainsAny(e.Argv[0], " \t") && !strings.HasPrefix(e.Argv[0], "/") {
		// A program path may hold spaces; "apt-get update" is a command line.
		errs = append(errs, check.Fieldf("argv", "%q looks like a shell command line; split it into a list of arguments", e.Argv[0]))
	}
	for _, a := range e.Argv {
		if strings.ContainsRune(a, 0) {
			errs = append(errs, check.Fieldf("argv", "argument %q contains a NUL byte", a))
		}
	}
	for k, v := range e.Env {
		if !envNameRE.MatchString(k) {
			errs = append(errs, check.Fieldf("env", "%q is not an environment variable name", k))
		}
		if strings.ContainsRune(v, 0) {
			errs = append(errs, check.Fieldf("env", "value of %s contains a NUL byte", k))
		}
	}
	if e.Dir != "" {
		errs = append(errs, check.AbsPath("dir", e.Dir))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (e *Exec) Summary() string {
	q := make([]string, len(e.Argv))
	for i, a := range e.Argv {
		q[i] = fmt.Sprintf("%q", a)
	}
	s := "exec [" + strings.Join(q, ", ") + "]"
	if e.Dir != "" {
		s += " in " + e.Dir
	}
	return s
}

// Apply runs the command in the root.
func (e *Exec) Apply(ctx context.Context, env *Env) error {
	var vars []string
	for _, k := range slices.Sorted(maps.Keys(e.Env)) {
		vars = append(vars, k+"="+e.Env[k])
	}
	if e.Dir != "" {
		fi, err := env.Root.Stat(e.Dir)
		if err != nil || !fi.IsDir() {
			return fmt.Errorf("working directory %s is not a folder in the image", e.Dir)
		}
	}
	return runToolIn(ctx, env, e.Dir, vars, e.Argv...)
}
