package debootstrap

// HostArch is the Debian name of the architecture chrootbuild runs on,
// the default for Options.Arch.
func HostArch() string { return hostArch() }
