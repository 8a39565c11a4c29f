package boot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/arch"
)

func TestQEMUCommand(t *testing.T) {
	k := &Kernel{Image: "/k/vmlinuz", Initrd: "/k/initrd.img"}
	cases := []struct {
		arch, bin, console string
		kvm                bool
		want               []string
	}{
		{"amd64", "qemu-system-x86_64", "console=ttyS0,9600n8", true, []string{"-accel kvm", "-cpu host", "-machine q35"}},
		{"amd64", "qemu-system-x86_64", "console=ttyS0,9600n8", false, []string{"-accel tcg", "-cpu max"}},
		{"arm64", "qemu-system-aarch64", "console=ttyAMA0,9600n8", false, []string{"-machine virt", "-cpu cortex-a57"}},
		{"armhf", "qemu-system-arm", "console=ttyAMA0,9600n8", false, []string{"-machine virt", "-cpu cortex-a15"}},
	}
	for _, c := range cases {
		m, err := arch.BootOn(arch.MustLookup(c.arch), arch.MustLookup(c.arch), c.kvm)
		if err != nil {
			t.Fatal(err)
		}
		v := &vm{Machine: m, Kernel: k, Disk: "/d.ext4", MetaPort: 8080, QMP: "/w/qmp.sock", Journal: "/w/journal.log"}
		if v.Binary() != c.bin {
			t.Errorf("%s: binary %s, want %s", c.arch, v.Binary(), c.bin)
		}
		if !strings.Contains(v.CommandLine(), c.console) || !strings.Contains(v.CommandLine(), "root=/dev/vda") {
			t.Errorf("%s: command line %q", c.arch, v.CommandLine())
		}
		args := strings.Join(v.Args(), " ")
		// The journal copy goes to the PC's second serial port; ARM virt
		// machines have only one UART.
		if journal := strings.Contains(args, "-serial file:/w/journal.log"); journal != (c.arch == "amd64") {
			t.Errorf("%s: journal port %v in %s", c.arch, journal, args)
		}
		for _, w := range append(c.want,
			"user,id=n0,restrict=on,",
			"hostfwd=tcp:127.0.0.1:0-:22",
			"-qmp unix:/w/qmp.sock,server=on,wait=off",
			"guestfwd=tcp:169.254.42.42:80-cmd:nc 127.0.0.1 8080",
			"net=169.254.0.0/16",
			"file=/d.ext4,format=raw,if=virtio") {
			if !strings.Contains(args, w) {
				t.Errorf("%s kvm=%v: %q missing from %s", c.arch, c.kvm, w, args)
			}
		}
	}
}

func TestInspect(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	os.MkdirAll(filepath.Join(root, "var/lib/dpkg"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/os-release"), []byte("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_CODENAME=bookworm\n"), 0o644)
	status := "Package: base-files\nArchitecture: amd64\n\nPackage: dpkg\nStatus: install ok installed\nArchitecture: arm64\n"
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte(status), 0o644)
	info, err := inspect(root)
	if err != nil {
		t.Fatal(err)
	}
	if info.Distribution != "debian" || info.Suite != "bookworm" || info.Arch != "arm64" || len(info.Consoles) != 0 {
		t.Fatalf("inspect = %+v", *info)
	}
	os.WriteFile(filepath.Join(root, "var/lib/dpkg/status"), []byte("Package: bash\n"), 0o644)
	if _, err := inspect(root); err == nil || !strings.Contains(err.Error(), "no dpkg") {
		t.Fatalf("a root without dpkg: %v", err)
	}
}

func TestCheckImage(t *testing.T) {
	out := t.TempDir()
	if _, err := checkImage(out); err == nil || !strings.Contains(err.Error(), "not a root") {
		t.Fatalf("an output folder was taken for a root: %v", err)
	}
	os.WriteFile(filepath.Join(out, "rootfs.tar"), nil, 0o644)
	if got, err := checkImage(filepath.Join(out, "rootfs.tar")); err != nil || got != filepath.Join(out, "rootfs.tar") {
		t.Fatalf("checkImage(tar) = %q, %v", got, err)
	}
	os.MkdirAll(filepath.Join(out, "etc"), 0o755)
	os.WriteFile(filepath.Join(out, "etc", "os-release"), nil, 0o644)
	if _, err := checkImage(out); err != nil {
		t.Fatalf("a root folder: %v", err)
	}
	if _, err := checkImage(filepath.Join(out, "missing")); err == nil {
		t.Fatal("a missing image was accepted")
	}
}

func TestJournalDropIn(t *testing.T) {
	root := t.TempDir()
	if err := journalDropIn(openRoot(t, root), "ttyS1"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "etc/systemd/journald.conf.d/zz-chrootbuild-boot.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"[Journal]\n", "ForwardToConsole=yes\n", "TTYPath=/dev/ttyS1\n"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("drop-in lacks %q:\n%s", w, b)
		}
	}
}

func TestHostForward(t *testing.T) {
	text := "Hub -1 (n0):\r\n  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\r\n" +
		"  TCP[HOST_FORWARD]   3       127.0.0.1 45389       10.0.2.15    22     0     0\r\n"
	if p, err := hostForward(text, 22); err != nil || p != 45389 {
		t.Fatalf("hostForward = %d, %v; want 45389", p, err)
	}
	if _, err := hostForward(text, 2222); err == nil {
		t.Fatal("a forward to another guest port was taken")
	}
}
