package arch

import "debug/elf"

const (
	userPkg   = "qemu-user-static"
	elfMask64 = `\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`
	armMagic  = `\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00`
)

var armUser = &Emulator{Binfmt: "qemu-arm", Program: "qemu-arm-static", Package: userPkg, Magic: armMagic, Mask: elfMask64}

// armVirt is QEMU's ARM virt machine: one PL011 UART, ttyAMA0.
func armVirt(binary, cpu string) *System {
	return &System{Binary: binary, Package: "qemu-system-arm", Machine: "virt", CPU: cpu, Console: "ttyAMA0"}
}

// table is the one table of architectures. The first three are the ones
// chrootbuild builds, boots and tests; the rest are known by name (OCI
// platforms of foreign roots, emulation, Ubuntu's ports archive).
var table = []*Arch{
	{
		Debian: "amd64", Uname: "x86_64", GOARCH: "amd64", Supported: true,
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_X86_64},
		OCI: Platform{"linux", "amd64", ""},
		User: &Emulator{Binfmt: "qemu-x86_64", Program: "qemu-x86_64-static", Package: userPkg,
			Magic: `\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00`,
			Mask:  `\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`},
		System: &System{Binary: "qemu-system-x86_64", Package: "qemu-system-x86", Machine: "q35", CPU: "max",
			Console: "ttyS0", Serial2: "ttyS1"},
		Kernel:  "linux-image-amd64",
		LibDirs: []string{"lib32", "lib64", "libx32"},
	},
	{
		Debian: "arm64", Uname: "aarch64", GOARCH: "arm64", Supported: true, Ports: true,
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_AARCH64},
		OCI: Platform{"linux", "arm64", "v8"},
		User: &Emulator{Binfmt: "qemu-aarch64", Program: "qemu-aarch64-static", Package: userPkg,
			Magic: `\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00`, Mask: elfMask64},
		System: armVirt("qemu-system-aarch64", "cortex-a57"),
		Kernel: "linux-image-arm64",
	},
	{
		Debian: "armhf", Uname: "armv7l", Uname32: "armv8l", GOARCH: "arm", Supported: true, Ports: true,
		ELF:    ELF{Class: elf.ELFCLASS32, Machine: elf.EM_ARM, HardFloat: true},
		OCI:    Platform{"linux", "arm", "v7"},
		User:   armUser,
		System: armVirt("qemu-system-arm", "cortex-a15"),
		Kernel: "linux-image-armmp-lpae",
	},
	{
		Debian: "armel", Uname: "armv5tel", Uname32: "armv8l", Ports: true,
		ELF:  ELF{Class: elf.ELFCLASS32, Machine: elf.EM_ARM},
		OCI:  Platform{"linux", "arm", "v5"},
		User: armUser,
	},
	{
		Debian: "i386", Uname: "i686", Uname32: "i686", GOARCH: "386",
		ELF: ELF{Class: elf.ELFCLASS32, Machine: elf.EM_386},
		OCI: Platform{"linux", "386", ""},
		User: &Emulator{Binfmt: "qemu-i386", Program: "qemu-i386-static", Package: userPkg,
			Magic: `\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00`,
			Mask:  `\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff`},
		LibDirs: []string{"lib64", "libx32"},
	},
	{Debian: "ppc64el", Uname: "ppc64le", GOARCH: "ppc64le", Ports: true,
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_PPC64}, OCI: Platform{"linux", "ppc64le", ""},
		LibDirs: []string{"lib64"}},
	{Debian: "s390x", Uname: "s390x", GOARCH: "s390x", Ports: true,
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_S390, BigEndian: true}, OCI: Platform{"linux", "s390x", ""},
		LibDirs: []string{"lib32"}},
	{Debian: "riscv64", Uname: "riscv64", GOARCH: "riscv64", Ports: true,
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_RISCV}, OCI: Platform{"linux", "riscv64", ""}},
	{Debian: "mips64el", Uname: "mips64", GOARCH: "mips64le",
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_MIPS}, OCI: Platform{"linux", "mips64le", ""}},
	{Debian: "loong64", Uname: "loongarch64", GOARCH: "loong64",
		ELF: ELF{Class: elf.ELFCLASS64, Machine: elf.EM_LOONGARCH}, OCI: Platform{"linux", "loong64", ""}},
}
