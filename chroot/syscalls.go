//go:build amd64 || arm64 || arm

package chroot

import "golang.org/x/sys/unix"

// hostWide names, for one ABI, the numbers of the system calls that act on
// the whole host rather than on the sandbox, which the sandbox refuses
// whatever the capabilities say. Keyring calls get ENOSYS, as on a kernel
// without keyrings, so PAM's pam_keyinit and friends carry on.
type hostWide struct {
	kexec    []uint32 // kexec_load, kexec_file_load: boot another kernel
	modules  []uint32 // init_module, finit_module, delete_module
	reboot   []uint32 // reboot
	swap     []uint32 // swapon, swapoff
	clock    []uint32 // settimeofday, stime, clock_settime(64), clock_adjtime(64), adjtimex
	handles  []uint32 // open_by_handle_at: opens any inode of a mounted file system
	keyrings []uint32 // add_key, request_key, keyctl: the keys of the host's root
}

// set turns the numbers into the refusals of the ABI arch.
func (h hostWide) set(arch uint32, x32 bool) callSet {
	s := callSet{arch: arch, x32: x32}
	for _, group := range [][]uint32{h.kexec, h.modules, h.reboot, h.swap, h.clock, h.handles} {
		for _, nr := range group {
			s.calls = append(s.calls, refusal{nr, unix.EPERM})
		}
	}
	for _, nr := range h.keyrings {
		s.calls = append(s.calls, refusal{nr, unix.ENOSYS})
	}
	return s
}

// The ABIs chrootbuild's hosts run, numbered from the kernel's tables
// (arch/*/entry/syscalls, include/uapi/asm-generic/unistd.h).
var (
	abiX8664 = hostWide{
		kexec: []uint32{246, 320}, modules: []uint32{175, 313, 176}, reboot: []uint32{169},
		swap: []uint32{167, 168}, clock: []uint32{164, 227, 305, 159}, handles: []uint32{304},
		keyrings: []uint32{248, 249, 250},
	}
	abiI386 = hostWide{
		kexec: []uint32{283}, modules: []uint32{128, 350, 129}, reboot: []uint32{88},
		swap: []uint32{87, 115}, clock: []uint32{79, 25, 264, 404, 343, 405, 124}, handles: []uint32{342},
		keyrings: []uint32{286, 287, 288},
	}
	abiAArch64 = hostWide{
		kexec: []uint32{104, 294}, modules: []uint32{105, 273, 106}, reboot: []uint32{142},
		swap: []uint32{224, 225}, clock: []uint32{170, 112, 266, 171}, handles: []uint32{265},
		keyrings: []uint32{217, 218, 219},
	}
	abiARM = hostWide{
		kexec: []uint32{347, 401}, modules: []uint32{128, 379, 129}, reboot: []uint32{88},
		swap: []uint32{87, 115}, clock: []uint32{79, 262, 404, 372, 405, 124}, handles: []uint32{371},
		keyrings: []uint32{309, 310, 311},
	}
)
