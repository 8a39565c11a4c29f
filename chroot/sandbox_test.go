package chroot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/tripwire"
)

// testSandbox runs, in the root, what a hostile maintainer script would
// try against the host, and checks each is refused and the host is
// unchanged.
func testSandbox(t *testing.T, r *Root) {
	t.Run("HostName", func(t *testing.T) { testSandboxHostName(t, r) })
	t.Run("ProcSys", func(t *testing.T) { testSandboxProcSys(t, r) })
	t.Run("BlockDevice", func(t *testing.T) { testSandboxBlockDevice(t, r) })
	t.Run("HostCalls", func(t *testing.T) { testSandboxHostCalls(t, r) })
	t.Run("Capabilities", func(t *testing.T) { testSandboxCapabilities(t, r) })
	t.Run("ChrootEscape", func(t *testing.T) { testSandboxChrootEscape(t, r) })
	t.Run("Network", func(t *testing.T) { testSandboxNetwork(t, r) })
	requireNoLeak(t, r.Dir())
}

// sandboxOutput runs a shell script in r and returns its combined output,
// whatever its exit status.
func sandboxOutput(t *testing.T, r *Root, script string) string {
	t.Helper()
	var out strings.Builder
	r.Run(context.Background(), Cmd{Args: []string{"sh", "-c", script}, Stdout: &out, Stderr: &out})
	return out.String()
}

func testSandboxHostName(t *testing.T, r *Root) {
	host, err := os.Hostname()
	must(t, err)
	t.Cleanup(func() { // the old code renamed the host: put it back
		if now, _ := os.Hostname(); now != host {
			unix.Sethostname([]byte(host))
		}
	})
	out := sandboxOutput(t, r, "hostname chrootbuild-sandbox-test && echo renamed; hostname")
	if now, _ := os.Hostname(); now != host {
		t.Fatalf("a command renamed the host from %q to %q", host, now)
	}
	if strings.Contains(out, "renamed") || !hasLine(out, host) {
		t.Fatalf("sethostname inside: %q, want refused and the name %q seen", out, host)
	}
}

func testSandboxProcSys(t *testing.T, r *Root) {
	const knob = "/proc/sys/vm/swappiness"
	read := func() string {
		b, err := os.ReadFile(knob)
		must(t, err)
		return strings.TrimSpace(string(b))
	}
	before := read()
	t.Cleanup(func() { os.WriteFile(knob, []byte(before), 0) })
	n, _ := strconv.Atoi(before)
	out := sandboxOutput(t, r, fmt.Sprintf("echo %d > %s && echo written; mount -o remount,rw %s && echo remounted", n+7, knob, "/proc/sys"))
	if now := read(); now != before {
		t.Fatalf("a command changed the host's %s from %s to %s", knob, before, now)
	}
	if strings.Contains(out, "written") || strings.Contains(out, "remounted") {
		t.Fatalf("writing %s inside: %q, want refused", knob, out)
	}
}

// testSandboxBlockDevice attaches a host file holding a canary to a loop
// device and has the command make a node for it in every writable place
// and read it.
func testSandboxBlockDevice(t *testing.T, r *Root) {
	img := filepath.Join(t.TempDir(), "disk")
	must(t, os.WriteFile(img, []byte(strings.Repeat(canaryContent, 4096/len(canaryContent)+1)), 0o600))
	dev := testenv.Losetup(t, img)
	num, err := os.ReadFile(filepath.Join("/sys/class/block", filepath.Base(dev), "dev"))
	must(t, err)
	maj, min, _ := strings.Cut(strings.TrimSpace(string(num)), ":")
	script := ""
	for _, dir := range []string{"/root", "/dev", "/tmp", "/run", "/dev/shm", "/var/tmp"} {
		script += fmt.Sprintf("mknod %s/blk b %s %s; head -c 64 %s/blk; rm -f %s/blk; ", dir, maj, min, dir, dir)
	}
	if out := sandboxOutput(t, r, script); strings.Contains(out, canaryContent) {
		t.Fatalf("a command read the host's loop device %s:%s: %q", maj, min, out)
	}
}

// testSandboxHostCalls makes each host-wide call with arguments that
// change nothing even when allowed, and wants EPERM for each.
func testSandboxHostCalls(t *testing.T, r *Root) {
	calls := []struct {
		name string
		call string
	}{
		{"reboot", fmt.Sprintf("syscall(%d, 0xfee1dead, 672274793, 0x89abcdef, 0)", unix.SYS_REBOOT)}, // Ctrl-Alt-Del on
		{"init_module", fmt.Sprintf("syscall(%d, 0, 0, 0)", unix.SYS_INIT_MODULE)},
		{"finit_module", fmt.Sprintf("syscall(%d, -1, 0, 0)", unix.SYS_FINIT_MODULE)},
		{"delete_module", fmt.Sprintf("syscall(%d, $n = \"chrootbuild-none\", 0)", unix.SYS_DELETE_MODULE)},
		{"settimeofday", fmt.Sprintf("syscall(%d, 0, 0)", unix.SYS_SETTIMEOFDAY)},
		{"clock_settime", fmt.Sprintf("syscall(%d, 1, 0)", unix.SYS_CLOCK_SETTIME)},
		{"swapon", fmt.Sprintf("syscall(%d, $n = \"/nonexistent\", 0)", unix.SYS_SWAPON)},
		{"kexec_load", fmt.Sprintf("syscall(%d, 0, 0, 0, 0xffff0000)", unix.SYS_KEXEC_LOAD)},
	}
	for _, c := range calls {
		out := sandboxOutput(t, r, fmt.Sprintf(`perl -e '$r = %s; print "$r ", $!+0, "\n"'`, c.call))
		if want := fmt.Sprintf("-1 %d", unix.EPERM); strings.TrimSpace(out) != want {
			t.Errorf("%s inside: %q, want %q (EPERM)", c.name, strings.TrimSpace(out), want)
		}
	}
}

// testSandboxCapabilities checks the command's bounding, permitted and
// effective sets are exactly sandboxCaps.
func testSandboxCapabilities(t *testing.T, r *Root) {
	var want uint64
	for _, c := range sandboxCaps {
		want |= 1 << c
	}
	out := sandboxOutput(t, r, "grep -E '^Cap(Bnd|Prm|Eff|Inh|Amb)' /proc/self/status")
	for _, f := range []string{"CapBnd", "CapPrm", "CapEff"} {
		if !strings.Contains(out, fmt.Sprintf("%s:\t%016x", f, want)) {
			t.Errorf("%s inside is not %016x:\n%s", f, want, out)
		}
	}
	if !strings.Contains(out, "CapInh:\t0000000000000000") || !strings.Contains(out, "CapAmb:\t0000000000000000") {
		t.Errorf("inheritable or ambient capabilities inside:\n%s", out)
	}
}

// testSandboxChrootEscape breaks out of a chroot the classic way (chroot
// into a subfolder, climb from the working folder left outside it) and
// looks for a host folder.
func testSandboxChrootEscape(t *testing.T, r *Root) {
	host := t.TempDir()
	must(t, os.WriteFile(filepath.Join(host, canaryEntry), nil, 0o600))
	defer os.RemoveAll(filepath.Join(r.Dir(), "escape"))
	out := sandboxOutput(t, r, fmt.Sprintf(`perl -e 'mkdir "/escape"; chroot "/escape" or die "chroot: $!"; chdir ".." for 1..64; chroot "." or die; opendir D, "%s" or die "no host folder\n"; print readdir D'`, host))
	if leaked([]byte(out)) || !strings.Contains(out, "no host folder") {
		t.Fatalf("chroot escape inside: %q, want the host folder out of reach", out)
	}
}

// testSandboxNetwork connects from the root to a listener on the host's
// loopback: an ordinary command reaches it, an offline one does not and
// finds its own loopback interface up.
func testSandboxNetwork(t *testing.T, r *Root) {
	ln, err := tripwire.Listen()
	must(t, err)
	defer ln.Close()
	script := fmt.Sprintf("bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d' && echo connected", ln.Port())
	if out := sandboxOutput(t, r, script); !strings.Contains(out, "connected") || ln.Connections(1, 5*time.Second) != 1 {
		t.Fatalf("a command could not reach the host's loopback: %q", out)
	}
	if out := sandboxOutput(t, r.Offline(), script); strings.Contains(out, "connected") || ln.Connections(2, time.Second) != 1 {
		t.Fatalf("an offline command reached the host's loopback: %q", out)
	}
	lo := `perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0") or die "listen: $!"; IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $s->sockport) or die "connect: $!"; print "lo up\n"'`
	if out := sandboxOutput(t, r.Offline(), lo); !strings.Contains(out, "lo up") {
		t.Fatalf("loopback inside an offline command: %q", out)
	}
}
