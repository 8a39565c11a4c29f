package oci

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// debianArch maps Debian architecture names to OCI platforms.
var debianArch = map[string]v1.Platform{
	"amd64":    {OS: "linux", Architecture: "amd64"},
	"arm64":    {OS: "linux", Architecture: "arm64", Variant: "v8"},
	"armhf":    {OS: "linux", Architecture: "arm", Variant: "v7"},
	"armel":    {OS: "linux", Architecture: "arm", Variant: "v5"},
	"i386":     {OS: "linux", Architecture: "386"},
	"ppc64el":  {OS: "linux", Architecture: "ppc64le"},
	"s390x":    {OS: "linux", Architecture: "s390x"},
	"riscv64":  {OS: "linux", Architecture: "riscv64"},
	"mips64el": {OS: "linux", Architecture: "mips64le"},
	"loong64":  {OS: "linux", Architecture: "loong64"},
}

// rootFacts is what a root tells about its architecture: dpkg's status
// file, dpkg's arch file, and the first bytes of a shell binary.
type rootFacts struct {
	status, arch []byte
	elf          []byte
}

// platform picks the architecture: the one dpkg itself is built for (its
// status entry), else the first line of /var/lib/dpkg/arch, else the ELF
// header of the shell.
func (f rootFacts) platform() (v1.Platform, error) {
	for _, a := range []string{dpkgArch(f.status), firstLine(f.arch)} {
		if a == "" {
			continue
		}
		p, ok := debianArch[a]
		if !ok {
			return v1.Platform{}, fmt.Errorf("unknown debian architecture %q", a)
		}
		return p, nil
	}
	if f.elf != nil {
		return elfPlatform(f.elf)
	}
	return v1.Platform{}, fmt.Errorf("no dpkg status, dpkg arch file or shell binary to tell the architecture from")
}

// dpkgArch returns the Architecture of the dpkg package in a status file.
func dpkgArch(status []byte) string {
	for _, para := range bytes.Split(status, []byte("\n\n")) {
		var pkg, arch string
		sc := bufio.NewScanner(bytes.NewReader(para))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			switch {
			case !ok:
			case k == "Package":
				pkg = strings.TrimSpace(v)
			case k == "Architecture":
				arch = strings.TrimSpace(v)
			}
		}
		if pkg == "dpkg" && arch != "" && arch != "all" {
			return arch
		}
	}
	return ""
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return strings.TrimSpace(string(line))
}

// elfPlatform reads the machine of an ELF header by hand: debug/elf wants
// the whole file to reach the section headers at its end.
func elfPlatform(head []byte) (v1.Platform, error) {
	if len(head) < 52 || string(head[:4]) != elf.ELFMAG {
		return v1.Platform{}, fmt.Errorf("the shell binary is not an elf file")
	}
	var order binary.ByteOrder = binary.LittleEndian
	if elf.Data(head[elf.EI_DATA]) == elf.ELFDATA2MSB {
		order = binary.BigEndian
	}
	machine := elf.Machine(order.Uint16(head[18:20]))
	flags := order.Uint32(head[36:40]) // e_flags of a 32-bit header
	p := v1.Platform{OS: "linux"}
	switch {
	case machine == elf.EM_X86_64:
		p.Architecture = "amd64"
	case machine == elf.EM_AARCH64:
		p.Architecture, p.Variant = "arm64", "v8"
	case machine == elf.EM_ARM:
		// Hard-float ABI binaries are armhf (ARMv7); soft-float ones armel.
		p.Architecture, p.Variant = "arm", "v5"
		if flags&0x400 != 0 {
			p.Variant = "v7"
		}
	case machine == elf.EM_386:
		p.Architecture = "386"
	case machine == elf.EM_PPC64 && order == binary.LittleEndian:
		p.Architecture = "ppc64le"
	case machine == elf.EM_S390:
		p.Architecture = "s390x"
	case machine == elf.EM_RISCV:
		p.Architecture = "riscv64"
	default:
		return v1.Platform{}, fmt.Errorf("the shell binary is for %v, which has no OCI architecture here", machine)
	}
	return p, nil
}

// readHead reads the first bytes of a file: enough for an ELF header.
func readHead(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, 64))
	return b
}
