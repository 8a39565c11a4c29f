package arch

import "fmt"

// Mode is how a host runs a target's binaries.
type Mode int

const (
	// Native: the target is the host's architecture.
	Native Mode = iota
	// Compat32: the host CPU's 32-bit mode runs them, and commands run
	// under personality(PER_LINUX32) so uname -m names the 32-bit machine.
	Compat32
	// Emulated: qemu-user runs them, through its binfmt_misc entry.
	Emulated
)

func (m Mode) String() string {
	return [...]string{"native", "32-bit mode", "emulated"}[m]
}

// Caps is what the host CPU can do beyond its own architecture.
type Caps struct {
	// Run32 reports whether the CPU runs the 32-bit code of the
	// architectures in the host's Compat (AArch32 at EL0 on arm64).
	Run32 bool
}

// Exec is how a host runs a target's binaries.
type Exec struct {
	Mode     Mode
	Emulator *Emulator // with Emulated
	Note     string    // why, when the 32-bit mode was possible in principle but not here
}

// compat lists, per 64-bit host, the 32-bit architectures its CPUs
// commonly run natively.
var compat = map[string][]string{
	"arm64": {"armhf", "armel"},
	"amd64": {"i386"},
}

// ExecOn says how host runs target's binaries given the host CPU's caps.
func ExecOn(host, target *Arch, caps Caps) (Exec, error) {
	if host.Debian == target.Debian {
		return Exec{Mode: Native}, nil
	}
	var note string
	for _, c := range compat[host.Debian] {
		if c != target.Debian {
			continue
		}
		if caps.Run32 {
			return Exec{Mode: Compat32}, nil
		}
		note = fmt.Sprintf("this %s CPU cannot run 32-bit code, so %s binaries run through qemu-user", host.Debian, target.Debian)
	}
	if target.User == nil {
		return Exec{}, fmt.Errorf("no known emulator runs %s binaries on a %s host", target.Debian, host.Debian)
	}
	return Exec{Mode: Emulated, Emulator: target.User, Note: note}, nil
}

// VM is how QEMU boots a target's images on a host.
type VM struct {
	System
	KVM     bool
	Foreign bool // TCG translates another instruction set than the host's
}

// TimeScale is what the boot check multiplies its time limits by: 1 with
// KVM or when TCG runs the host's own instruction set (the limits were set
// for amd64 under TCG), 3 when TCG translates a foreign one (ARM on an
// amd64 host boots about three times slower).
func (v VM) TimeScale() int {
	if v.Foreign && !v.KVM {
		return 3
	}
	return 1
}

// BootOn says how host boots target's images; kvm says whether /dev/kvm
// runs the distribution's kernels here. KVM is used only for the host's own
// architecture; everything else runs under TCG.
func BootOn(host, target *Arch, kvm bool) (VM, error) {
	if target.System == nil {
		return VM{}, fmt.Errorf("chrootbuild does not boot %s images", target.Debian)
	}
	same := host.Debian == target.Debian
	v := VM{System: *target.System, KVM: kvm && same, Foreign: !same}
	if v.KVM {
		v.CPU = "host"
	}
	return v, nil
}

// Accel is QEMU's -accel value.
func (v VM) Accel() string {
	if v.KVM {
		return "kvm"
	}
	return "tcg"
}
