package chroot

import "golang.org/x/sys/unix"

// mountSpec is one file system mounted for the command's namespace.
type mountSpec struct {
	target string // inside the root
	source string
	fstype string
	flags  uintptr
	data   string
}

const (
	noSUID = unix.MS_NOSUID
	noDev  = unix.MS_NODEV
	noExec = unix.MS_NOEXEC
)

// mountPlan is what every command sees, in mount order. /dev is a small
// tmpfs filled with the device nodes below rather than the host's /dev;
// devpts is a new instance, so the command sees only its own terminals.
// /run and /tmp are tmpfs: anything written there from the host side is
// hidden from commands, and anything commands write there is gone after.
var mountPlan = []mountSpec{
	{"/proc", "proc", "proc", noSUID | noDev | noExec, ""},
	{"/sys", "sysfs", "sysfs", unix.MS_RDONLY | noSUID | noDev | noExec, ""},
	{"/dev", "tmpfs", "tmpfs", noSUID | noExec, "mode=0755,size=4m"},
	{"/dev/pts", "devpts", "devpts", noSUID | noExec, "newinstance,ptmxmode=0666,mode=0620,gid=5"},
	{"/dev/shm", "shm", "tmpfs", noSUID | noDev, "mode=1777"},
	{"/run", "tmpfs", "tmpfs", noSUID | noDev, "mode=0755"},
	{"/tmp", "tmpfs", "tmpfs", noSUID | noDev, "mode=1777"},
}

// devNode is a character device created in the command's /dev.
type devNode struct {
	name         string
	major, minor uint32
}

var devNodes = []devNode{
	{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7},
	{"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
}

// devLinks are the usual symlinks of /dev, name to target.
var devLinks = [][2]string{
	{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
	{"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"},
	{"ptmx", "pts/ptmx"},
}

// afterMount lists folders created inside a fresh mount, with their modes.
var afterMount = map[string][][2]any{
	"/run": {{"/run/lock", uint32(0o1777)}},
}
