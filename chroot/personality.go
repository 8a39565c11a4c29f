package chroot

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/chrootbuild/chrootbuild/arch"
)

// setPersonality puts this process (the namespace's first, about to start
// prog) under personality(PER_LINUX32) when the table in package arch
// says the host runs prog's architecture in the CPU's 32-bit mode (armhf
// on arm64): the command inherits it, so uname -m in the root names the
// 32-bit machine (armv8l), as dpkg, config.guess and friends expect.
func setPersonality(prog string) error {
	a := progArch(prog)
	if a == nil {
		return nil
	}
	e, err := arch.ExecOn(arch.Host(), a, arch.HostCaps())
	if err != nil || e.Mode != arch.Compat32 {
		return nil
	}
	// Never unlocked: the personality belongs to this thread, which
	// starts the command.
	runtime.LockOSThread()
	if err := arch.SetLinux32(); err != nil {
		return fmt.Errorf("setting personality PER_LINUX32 for %s binaries: %w", a.Debian, err)
	}
	return nil
}

// progArch is the architecture of prog's ELF header, or of its
// interpreter's when prog is a script; nil when neither is ELF.
func progArch(prog string) *arch.Arch {
	head := readHead(prog)
	if bytes.HasPrefix(head, []byte("#!")) {
		line, _, _ := bytes.Cut(head[2:], []byte("\n"))
		fields := bytes.Fields(line)
		if len(fields) == 0 {
			return nil
		}
		head = readHead(string(fields[0]))
	}
	return arch.FromELF(head)
}

// readHead reads the first 128 bytes of a file: an ELF header or a
// script's first line.
func readHead(name string) []byte {
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 128))
	return b
}
