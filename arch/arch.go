// Package arch is the one table of the CPU architectures chrootbuild knows:
// per architecture its Debian, uname -m, Go, ELF and OCI names, the
// qemu-user emulator and its binfmt_misc entry, the QEMU system emulator
// (binary, Debian package, machine, CPU, serial console) and the Debian
// kernel package that boots it. Every decision that depends on the host
// and the target (run natively, through the CPU's 32-bit mode or through
// an emulator; which binfmt entry; which QEMU; KVM or TCG) is made here,
// from the table.
package arch

import (
	"debug/elf"
	"fmt"
	"runtime"
	"strings"
)

// Arch is one architecture, by its Debian name.
type Arch struct {
	Debian    string   // dpkg's name: amd64, arm64, armhf
	Uname     string   // uname -m of a kernel of this architecture
	Uname32   string   // uname -m under PER_LINUX32 on the 64-bit host that runs it ("" none)
	GOARCH    string   // Go's GOARCH of a chrootbuild built for it ("" none)
	ELF       ELF      // how its binaries' ELF headers look
	OCI       Platform // its OCI image platform
	User      *Emulator
	System    *System // nil: chrootbuild does not boot it
	Kernel    string  // Debian's kernel metapackage that boots it in System
	LibDirs   []string
	Ports     bool // Ubuntu serves it from ports.ubuntu.com, not the main archive
	Supported bool // chrootbuild builds and boots it (validation accepts it)
}

// ELF is what an ELF header of the architecture says.
type ELF struct {
	Class     elf.Class
	Machine   elf.Machine
	BigEndian bool
	HardFloat bool // 32-bit ARM hard-float ABI (EF_ARM_ABI_FLOAT_HARD)
}

// Platform is an OCI image platform.
type Platform struct{ OS, Architecture, Variant string }

// Emulator is the qemu-user emulator of an architecture and the
// binfmt_misc entry that hands it the architecture's binaries (magic and
// mask from qemu's qemu-binfmt-conf.sh).
type Emulator struct {
	Binfmt  string // binfmt_misc entry name of Debian's package: qemu-aarch64
	Program string // the static emulator: qemu-aarch64-static
	Package string // Debian package that carries it
	Magic   string
	Mask    string
}

// System is how QEMU boots the architecture's images.
type System struct {
	Binary  string // qemu-system-aarch64
	Package string // Debian package that carries it
	Machine string
	CPU     string // the emulated CPU under TCG (KVM uses "host")
	Console string // the machine's first serial port, as Linux names it
	Serial2 string // a second serial port ("" when the machine has one)
}

// Lookup returns the architecture of a Debian name.
func Lookup(debian string) (*Arch, error) {
	for _, a := range table {
		if a.Debian == debian {
			return a, nil
		}
	}
	return nil, fmt.Errorf("unknown architecture %q (known: %s)", debian, strings.Join(Names(false), ", "))
}

// MustLookup is Lookup for names already validated.
func MustLookup(debian string) *Arch {
	a, err := Lookup(debian)
	if err != nil {
		panic(err)
	}
	return a
}

// Names lists the Debian names of the table, or of the supported ones.
func Names(supportedOnly bool) []string {
	var out []string
	for _, a := range table {
		if a.Supported || !supportedOnly {
			out = append(out, a.Debian)
		}
	}
	return out
}

// Host is the architecture this chrootbuild binary runs as.
func Host() *Arch { return byGOARCH(runtime.GOARCH) }

func byGOARCH(goarch string) *Arch {
	for _, a := range table {
		if a.GOARCH == goarch {
			return a
		}
	}
	return &Arch{Debian: goarch, GOARCH: goarch}
}

// FromELF returns the architecture an ELF header (its first 64 bytes or
// more) is built for, or nil.
func FromELF(head []byte) *Arch {
	h, ok := parseELF(head)
	if !ok {
		return nil
	}
	for _, a := range table {
		e := a.ELF
		if e.Class == h.Class && e.Machine == h.Machine && e.BigEndian == h.BigEndian &&
			(e.Machine != elf.EM_ARM || e.HardFloat == h.HardFloat) {
			return a
		}
	}
	return nil
}

// MergedDirs lists the top-level folders that become symlinks into /usr on a
// merged-/usr root, the list of debootstrap's setup_merged_usr.
func (a *Arch) MergedDirs() []string {
	return append([]string{"bin", "sbin", "lib"}, a.LibDirs...)
}

// String is the Debian name.
func (a *Arch) String() string { return a.Debian }
