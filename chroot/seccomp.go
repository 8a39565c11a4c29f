//go:build amd64 || arm64 || arm

package chroot

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// refusal is one system call a seccomp filter answers with an error number
// (0: success) instead of carrying it out.
type refusal struct {
	nr    uint32
	errno unix.Errno
}

// callSet is the refused calls of one system call ABI. x32 also refuses
// every call made through the x32 ABI, which shares its architecture
// number with x86-64 and numbers its calls from 0x40000000.
type callSet struct {
	arch  uint32
	x32   bool
	calls []refusal
}

// x32Bit marks a call made through the x32 ABI on x86-64.
const x32Bit = 0x40000000

// filterProgram compiles the sets into a classic BPF program: the call's
// architecture picks its set, a listed call gets its error number, every
// other call is allowed, and a call of an architecture no set names gets
// otherArch.
func filterProgram(sets []callSet, otherArch uint32) []unix.SockFilter {
	var prog []unix.SockFilter
	add := func(code uint16, jt, jf uint8, k uint32) {
		prog = append(prog, unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k})
	}
	const (
		load = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeq  = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jge  = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
		ret  = unix.BPF_RET | unix.BPF_K
	)
	add(load, 0, 0, 4) // seccomp_data.arch
	for _, s := range sets {
		body := 2 + 2*len(s.calls)
		if s.x32 {
			body += 2
		}
		add(jeq, 0, uint8(body), s.arch)
		add(load, 0, 0, 0) // seccomp_data.nr
		if s.x32 {
			add(jge, 0, 1, x32Bit)
			add(ret, 0, 0, unix.SECCOMP_RET_ERRNO|uint32(unix.EPERM))
		}
		for _, c := range s.calls {
			add(jeq, 0, 1, c.nr)
			add(ret, 0, 0, unix.SECCOMP_RET_ERRNO|uint32(c.errno))
		}
		add(ret, 0, 0, unix.SECCOMP_RET_ALLOW)
	}
	add(ret, 0, 0, otherArch)
	return prog
}

// loadFilter installs the program on every thread of this process, and so
// on every process it starts. Without noNewPrivs the caller needs
// CAP_SYS_ADMIN; with it, set-user-ID programs no longer gain privileges.
func loadFilter(prog []unix.SockFilter, noNewPrivs bool) error {
	if noNewPrivs {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			return err
		}
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	_, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	if errno != 0 {
		return fmt.Errorf("seccomp: %w", errno)
	}
	return nil
}

// refuseHostCalls installs the sandbox's filter: the calls that act on the
// whole host (hostCalls) fail with EPERM, or ENOSYS for the keyring calls,
// under every ABI the kernel runs here; a call of any other ABI fails.
func refuseHostCalls() error {
	if err := loadFilter(filterProgram(hostCalls, unix.SECCOMP_RET_ERRNO|uint32(unix.EPERM)), false); err != nil {
		return fmt.Errorf("refusing host-wide system calls: %w", err)
	}
	return nil
}
