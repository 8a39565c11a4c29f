// Package boot proves an image boots, stops and restarts: it makes an ext4
// disk of the image, boots it in QEMU (KVM when usable) with the
// distribution's kernel and the platform's kernel command line, serves the
// platform's metadata to it at 169.254.42.42, and checks what the image
// promises on the live system: no oops or failed unit, a login prompt on
// the serial console, SSH with the metadata's key, the hostname from the
// metadata, the check-list items, reboot and poweroff from the OS.
package boot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/internal/cachedir"
	"github.com/chrootbuild/chrootbuild/metadata"
)

// Options say what to boot and how.
type Options struct {
	Image    string        // a root tar (plain, gzip or zstd) or a root folder
	Kernel   string        // optional: a kernel image instead of the distribution's
	Initrd   string        // optional, with Kernel
	Modules  string        // optional, with Kernel: its /lib/modules/VERSION folder
	Mirror   string        // where the distribution's kernel comes from ("" default)
	CacheDir string        // package cache (the kernel is kept under it)
	Keep     bool          // leave the VM running after the checks
	FailFast bool          // no reboot and poweroff checks once a first-boot check failed
	NTP      string        // NTP server the image must use
	Timeout  time.Duration // for the login prompt and SSH; 0: 10 minutes, times the machine's TimeScale
	Log      io.Writer     // progress and the report
	Console  io.Writer     // the serial console as it comes (nil: kept only)
	// Guest, when set, runs after a passed first boot, before the reboot
	// check; its error fails the boot. The guest then also reaches the
	// image's mirror (Mirror, or the distribution's default) through a
	// read-only proxy on the host, at Guest.Mirror.
	Guest func(ctx context.Context, g *Guest) error
}

// Run boots the image and runs every check. The report lists each check
// with its evidence; err is non-nil when the VM could not be run at all.
func Run(ctx context.Context, opt Options) (*Report, error) {
	opt.defaults()
	work, err := os.MkdirTemp("", "chrootbuild-boot-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	begun := time.Now()
	s, err := prepare(ctx, opt, work)
	if err != nil {
		return nil, err
	}
	defer s.close()
	s.begun = begun
	s.report.Prepare = time.Since(begun)
	r, err := s.boot(ctx)
	if r != nil {
		r.Total = time.Since(begun)
		r.Passed = len(r.Failed()) == 0
	}
	return r, err
}

func (o *Options) defaults() {
	if o.Log == nil {
		o.Log = io.Discard
	}
	o.CacheDir = string(cachedir.Or(o.CacheDir))
	if o.NTP == "" {
		o.NTP = "ntp.int.cloud.online.net"
	}
}

// session is one boot: the VM, its console, the metadata service.
type session struct {
	opt         Options
	work        string // private work folder, removed at the end
	info        *ImageInfo
	vm          vm
	console     string // where the image's serial getty shows the login prompt
	hostname    string
	ssh         *sshClient
	md          *http.Server
	mirror      *http.Server // the guest's mirror proxy, with Options.Guest
	mdAddr      *net.TCPAddr
	qemu        *exec.Cmd
	done        chan struct{} // closed when QEMU has ended
	exitErr     error         // QEMU's exit status, once done is closed
	con         *console
	report      *Report
	begun       time.Time // Run called
	sshFailedAt time.Time // when sshd's failure was first seen
	started     time.Time // QEMU started
}

func prepare(ctx context.Context, opt Options, work string) (*session, error) {
	image, err := checkImage(opt.Image)
	if err != nil {
		return nil, err
	}
	logf(opt.Log, "preparing a boot disk from %s", image)
	root, err := unpack(ctx, image, work)
	if err != nil {
		return nil, err
	}
	info, err := inspect(root)
	if err != nil {
		return nil, err
	}
	m, err := machineFor(info.Arch)
	if err != nil {
		return nil, err
	}
	con, err := loginConsole(info, m)
	if err != nil {
		return nil, err
	}
	if opt.Timeout == 0 {
		opt.Timeout = 10 * time.Minute * time.Duration(m.TimeScale())
	}
	k, err := kernelFor(ctx, opt, info)
	if err != nil {
		return nil, err
	}
	hk, err := newHostKey(ctx, work, "ssh_host_ed25519_key")
	if err == nil {
		err = hk.place(root)
	}
	if err != nil {
		return nil, err
	}
	disk := filepath.Join(work, "disk.ext4")
	v := vm{Machine: m, Kernel: k, Disk: disk, Journal: filepath.Join(work, "journal.log"), QMP: filepath.Join(work, "qmp.sock")}
	if err := makeDisk(ctx, root, k, disk, v.JournalDevice(), m.TimeScale()); err != nil {
		return nil, err
	}
	os.RemoveAll(root)
	s := &session{opt: opt, work: work, info: info, console: con, hostname: "cb-" + randomHex(4), report: &Report{Image: image}}
	if err := s.startMetadata(ctx, work); err != nil {
		return nil, err
	}
	v.MetaPort = s.mdPort()
	if opt.Guest != nil {
		if v.MirrorPort, err = s.startMirrorProxy(); err != nil {
			return nil, err
		}
	}
	s.vm = v
	s.ssh.knownHosts = hk.knownHosts
	s.ssh.scale = m.TimeScale()
	return s, nil
}

func kernelFor(ctx context.Context, opt Options, info *ImageInfo) (*Kernel, error) {
	if opt.Kernel != "" {
		if opt.Initrd == "" || opt.Modules == "" {
			return nil, fmt.Errorf("--kernel needs --initrd and --modules too")
		}
		return &Kernel{Version: filepath.Base(opt.Modules), Image: opt.Kernel, Initrd: opt.Initrd, Modules: opt.Modules}, nil
	}
	return FetchKernel(ctx, info.Distribution, info.Suite, info.Arch, opt.Mirror, opt.CacheDir,
		func(m string) { logf(opt.Log, "%s", m) })
}

// startMetadata serves the platform's metadata, with the test key and
// host name, on a loopback port that QEMU forwards the guest to.
func (s *session) startMetadata(ctx context.Context, work string) error {
	ssh, pub, err := newKey(ctx, work, 0)
	if err != nil {
		return err
	}
	s.ssh = ssh
	fp, _ := metadata.Fingerprint(pub)
	md := &metadata.Metadata{
		ID: "00000000-0000-4000-8000-" + randomHex(6), Name: s.hostname, Hostname: s.hostname,
		Organization: "chrootbuild-boot", PrivateIP: "169.254.0.15",
		SSHPublicKeys: []metadata.SSHKey{{Key: pub, Fingerprint: fp}},
		Volumes:       map[string]metadata.Volume{"0": {ID: "root", Name: "root", VolumeType: "l_ssd", Size: 4 << 30}},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("starting the metadata service: %w", err)
	}
	s.mdAddr = l.Addr().(*net.TCPAddr)
	// Idle connections close soon: each holds an nc process of QEMU's.
	s.md = &http.Server{Handler: metadata.Handler(md), IdleTimeout: 10 * time.Second}
	go s.md.Serve(l)
	return nil
}

func (s *session) mdPort() int { return s.mdAddr.Port }

// journal is what the guest's journald copied to the second serial port
// so far ("" when there is none).
func (s *session) journal() string {
	if s.vm.Journal == "" {
		return ""
	}
	b, _ := os.ReadFile(s.vm.Journal)
	return string(b)
}

func (s *session) close() {
	s.stop()
	if s.md != nil {
		s.md.Close()
	}
	if s.mirror != nil {
		s.mirror.Close()
	}
}

// machineFor is how this host boots an image of the architecture: the
// table in package arch decides, given whether KVM is usable here. A
// missing QEMU is reported before anything is prepared, naming its
// Debian package.
func machineFor(name string) (arch.VM, error) {
	target, err := arch.Lookup(name)
	if err != nil {
		return arch.VM{}, fmt.Errorf("booting the image: %w", err)
	}
	m, err := arch.BootOn(arch.Host(), target, kvmUsable())
	if err != nil {
		return m, err
	}
	if _, err := exec.LookPath(m.Binary); err != nil {
		return m, fmt.Errorf("booting a %s image needs %s: install Debian's %s", name, m.Binary, m.Package)
	}
	return m, nil
}

// kvmUsable reports whether KVM can run the distribution's kernel of the
// host's architecture: /dev/kvm must open, and the host must not be a PVM
// host (kvm_pvm runs only kernels built as PVM guests; the distribution's
// kernel hangs there before its first line).
func kvmUsable() bool {
	if _, err := os.Stat("/sys/module/kvm_pvm"); err == nil {
		return false
	}
	f, err := os.OpenFile("/dev/kvm", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func logf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "boot: "+format+"\n", args...)
}
