package boot

import (
	"fmt"
	"strings"

	"github.com/chrootbuild/chrootbuild/arch"
)

// vm says how to start QEMU for one boot.
type vm struct {
	Machine    arch.VM // QEMU binary, machine, CPU, console, KVM or TCG: from the table
	Kernel     *Kernel
	Disk       string
	MetaPort   int    // host port of the metadata service
	MirrorPort int    // host port of the guest's mirror proxy (0: none)
	QMP        string // QEMU's monitor socket, which tells the SSH port (see forwardedPort)
	Memory     string
	Journal    string // file that the guest's second serial port writes to ("" none)
}

// Metadata is reached at the platform's address, 169.254.42.42:80. QEMU's
// user network forwards guest connections only to addresses inside its own
// network, so the guest network is the link-local /16 that holds it. The
// network is restricted: the guest reaches nothing of the host or beyond
// (not the host's loopback services through hostAddr, not DNS), only the
// metadata's forward; the host reaches the guest's SSH through a port
// QEMU binds itself (port 0: the kernel picks a free one).
const (
	metadataAddr = "169.254.42.42"
	guestNet     = "169.254.0.0/16"
	hostAddr     = "169.254.0.2"
	dnsAddr      = "169.254.0.3"
	dhcpStart    = "169.254.0.15"
)

// CommandLine is the platform's kernel command line (console on ttyS0 at
// 9600 bps) plus the root disk; net.ifnames=0 keeps the eth0 name the
// platform's servers had.
func (v *vm) CommandLine() string {
	return fmt.Sprintf("root=/dev/vda rw console=%s,9600n8 net.ifnames=0 panic=-1", v.ConsoleDevice())
}

// ConsoleDevice is the machine's serial console: the 16550 of a PC, the
// PL011 of an ARM virt machine.
func (v *vm) ConsoleDevice() string { return v.Machine.Console }

// JournalDevice is the guest's port for the journal copy (see
// journalDropIn): the PC's second 16550; ARM virt machines have one UART,
// so none there.
func (v *vm) JournalDevice() string { return v.Machine.Serial2 }

// Binary is the qemu-system program for the image's architecture.
func (v *vm) Binary() string { return v.Machine.Binary }

// Args are QEMU's arguments; the serial console is QEMU's stdio.
func (v *vm) Args() []string {
	mem := v.Memory
	if mem == "" {
		mem = "1024"
	}
	nd := []string{
		"user,id=n0", "restrict=on",
		"net=" + guestNet, "host=" + hostAddr, "dns=" + dnsAddr, "dhcpstart=" + dhcpStart,
		"hostfwd=tcp:127.0.0.1:0-:22",
		fmt.Sprintf("guestfwd=tcp:%s:80-cmd:nc 127.0.0.1 %d", metadataAddr, v.MetaPort),
	}
	if v.MirrorPort != 0 {
		nd = append(nd, fmt.Sprintf("guestfwd=tcp:%s:80-cmd:nc 127.0.0.1 %d", mirrorAddr, v.MirrorPort))
	}
	netdev := strings.Join(nd, ",")
	args := []string{
		"-m", mem, "-smp", "2", "-nodefaults", "-no-user-config",
		"-display", "none", "-serial", "stdio",
		"-kernel", v.Kernel.Image, "-initrd", v.Kernel.Initrd, "-append", v.CommandLine(),
		"-drive", "file=" + v.Disk + ",format=raw,if=virtio,cache=unsafe",
		"-netdev", netdev, "-device", "virtio-net-pci,netdev=n0",
		"-device", "virtio-rng-pci",
		"-qmp", "unix:" + v.QMP + ",server=on,wait=off",
	}
	if v.Journal != "" && v.JournalDevice() != "" {
		args = append(args, "-serial", "file:"+v.Journal)
	}
	args = append([]string{"-machine", v.Machine.Machine, "-cpu", v.Machine.CPU}, args...)
	return append(args, "-accel", v.Machine.Accel())
}
