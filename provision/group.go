package provision

import (
	"context"
	"errors"
	"fmt"

	"github.com/chrootbuild/chrootbuild/check"
)

// Group creates a group in the image's /etc/group and /etc/gshadow:
//
//	provision "group" {
//	  name   = "deploy"
//	  gid    = 2000      # default: allocated like addgroup
//	  system = false     # system groups get a gid from SYS_GID_MIN..SYS_GID_MAX
//	}
//
// A group that already exists is left alone when its gid matches (or no
// gid was asked), and is an error otherwise.
type Group struct {
	Name   string `hcl:"name"`            // the group name
	GID    *int   `hcl:"gid,optional"`    // default: the first free one of the range
	System bool   `hcl:"system,optional"` // a system group: gid from SYS_GID_MIN..SYS_GID_MAX
}

func init() {
	register("group", func() Step { return &Group{} })
}

// Check validates the attributes without touching the system.
func (g *Group) Check() error {
	errs := []error{check.UserName("name", g.Name)}
	if g.GID != nil && (*g.GID < 0 || *g.GID > 65533) {
		errs = append(errs, check.Fieldf("gid", "%d is outside 0..65533", *g.GID))
	}
	return errors.Join(errs...)
}

// Summary is a one-line description.
func (g *Group) Summary() string {
	s := "group " + g.Name
	if g.System {
		s = "system " + s
	}
	if g.GID != nil {
		s += fmt.Sprintf(" (gid %d)", *g.GID)
	}
	return s
}

// Apply creates the group.
func (g *Group) Apply(ctx context.Context, env *Env) error {
	a, err := loadAccounts(env.Root)
	if err != nil {
		return err
	}
	if _, err := a.ensureGroup(g.Name, g.GID, -1, g.System); err != nil {
		return fmt.Errorf("creating group %s: %w", g.Name, err)
	}
	return a.save(env.Root)
}
