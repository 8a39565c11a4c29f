package oci

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ociPlatform is the OCI platform of an architecture of the table.
func ociPlatform(a *arch.Arch) v1.Platform {
	return v1.Platform{OS: a.OCI.OS, Architecture: a.OCI.Architecture, Variant: a.OCI.Variant}
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
		t, err := arch.Lookup(a)
		if err != nil {
			return v1.Platform{}, fmt.Errorf("reading the root's architecture: %w", err)
		}
		return ociPlatform(t), nil
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

// elfPlatform tells the platform from the shell binary's ELF header.
func elfPlatform(head []byte) (v1.Platform, error) {
	if len(head) < 4 || string(head[:4]) != elf.ELFMAG {
		return v1.Platform{}, fmt.Errorf("the shell binary is not an elf file")
	}
	a := arch.FromELF(head)
	if a == nil {
		return v1.Platform{}, fmt.Errorf("the shell binary is for an architecture that has no OCI platform here")
	}
	return ociPlatform(a), nil
}

// readHead reads the first bytes of a file: enough for an ELF header.
func readHead(r io.Reader) []byte {
	b, _ := io.ReadAll(io.LimitReader(r, 64))
	return b
}
