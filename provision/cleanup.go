package provision

import (
	"context"
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/chroot"
)

// Cleanup removes what must not ship in an image, so that every server
// booted from it starts clean. Everything is on by default:
//
//	provision "cleanup" {
//	  apt_cache     = true  # /var/cache/apt/*.bin, archives/*.deb, /var/lib/apt/lists/*
//	  logs          = true  # truncate /var/log files, remove rotated ones and bootstrap.log
//	  machine_id    = true  # empty /etc/machine-id (first boot), no dbus copy, no random seed
//	  ssh_host_keys = true  # /etc/ssh/ssh_host_*: each server generates its own at boot
//	  dhcp_leases   = true  # /var/lib/dhcp/*.leases, dhcpcd's, systemd-networkd's
//	  resolv_conf   = true  # /etc/resolv.conf: never the build host's
//	  history       = true  # .bash_history, .lesshst, .viminfo, .python_history, .wget-hsts of root and /home/*
//	}
type Cleanup struct {
	AptCache    bool `hcl:"apt_cache,optional"`     // apt's caches and package lists
	Logs        bool `hcl:"logs,optional"`          // log contents, rotated logs, bootstrap.log, journal files
	MachineID   bool `hcl:"machine_id,optional"`    // the machine id: each server makes its own at first boot
	SSHHostKeys bool `hcl:"ssh_host_keys,optional"` // sshd's host keys
	DHCPLeases  bool `hcl:"dhcp_leases,optional"`   // DHCP leases of the build
	ResolvConf  bool `hcl:"resolv_conf,optional"`   // /etc/resolv.conf when it is a file (a symlink stays)
	History     bool `hcl:"history,optional"`       // shell and tool histories of root and of the users in /home
}

func init() {
	register("cleanup", func() Step {
		return &Cleanup{true, true, true, true, true, true, true}
	})
}

// Check validates the attributes without touching the system.
func (c *Cleanup) Check() error {
	if len(c.parts()) == 0 {
		return check.Fieldf("", "nothing to clean: every part is turned off")
	}
	return nil
}

func (c *Cleanup) parts() []string {
	var on []string
	for _, p := range []struct {
		name string
		on   bool
	}{
		{"apt_cache", c.AptCache}, {"logs", c.Logs}, {"machine_id", c.MachineID},
		{"ssh_host_keys", c.SSHHostKeys}, {"dhcp_leases", c.DHCPLeases},
		{"resolv_conf", c.ResolvConf}, {"history", c.History},
	} {
		if p.on {
			on = append(on, p.name)
		}
	}
	return on
}

// Summary is a one-line description.
func (c *Cleanup) Summary() string {
	return "cleanup " + strings.Join(c.parts(), ", ")
}

// Apply removes the files of every part turned on.
func (c *Cleanup) Apply(ctx context.Context, env *Env) error {
	r := env.Root
	for _, p := range []struct {
		on bool
		fn func(*chroot.Root) error
	}{
		{c.AptCache, cleanAptCache}, {c.Logs, cleanLogs}, {c.MachineID, cleanMachineID},
		{c.SSHHostKeys, removeGlobs("/etc/ssh/ssh_host_*")},
		{c.DHCPLeases, removeGlobs(dhcpLeaseGlobs...)},
		{c.ResolvConf, cleanResolvConf},
		{c.History, removeGlobs(historyGlobs()...)},
	} {
		if !p.on {
			continue
		}
		if err := p.fn(r); err != nil {
			return fmt.Errorf("cleaning up: %w", err)
		}
	}
	return nil
}

// historyGlobs are the history files of shells and tools, for root and
// for the users under /home.
func historyGlobs() []string {
	var globs []string
	for _, f := range []string{".bash_history", ".lesshst", ".viminfo", ".python_history", ".wget-hsts"} {
		globs = append(globs, "/root/"+f, "/home/*/"+f)
	}
	return globs
}

var dhcpLeaseGlobs = []string{
	"/var/lib/dhcp/*.leases", "/var/lib/dhcp/*.lease", "/var/lib/dhclient/*.lease*",
	"/var/lib/NetworkManager/*.lease", "/var/lib/systemd/network/*.lease*",
	"/var/lib/dhcpcd/*.lease*", // dhcpcd-base, which trixie's ifupdown also runs
}
