// Command chrootbuild builds Linux server images without Docker: it
// bootstraps a Debian or Ubuntu base natively, applies typed provisioning
// steps written in HCL, packs the result and boots it to prove it works.
//
// The command is thin: each subcommand is a file that registers itself
// from init() and calls into the packages that do the work.
package main

import (
	"os"

	"github.com/chrootbuild/chrootbuild/chroot"
)

func main() {
	chroot.Init() // first: in a re-executed child it runs the command and exits
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
