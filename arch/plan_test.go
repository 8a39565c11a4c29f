package arch

import (
	"strings"
	"testing"
)

// TestHostTargetPairs covers every host × target pair of the supported
// architectures: how binaries run (with and without a 32-bit capable
// CPU) and how images boot (with KVM available).
func TestHostTargetPairs(t *testing.T) {
	type want struct {
		mode    Mode
		binfmt  string // the binfmt entry when emulated
		noRun32 Mode   // the mode when the CPU has no 32-bit mode
		qemu    string
		machine string
		console string
		accel   string
	}
	cases := map[[2]string]want{
		{"amd64", "amd64"}: {Native, "", Native, "qemu-system-x86_64", "q35", "ttyS0", "kvm"},
		{"amd64", "arm64"}: {Emulated, "qemu-aarch64", Emulated, "qemu-system-aarch64", "virt", "ttyAMA0", "tcg"},
		{"amd64", "armhf"}: {Emulated, "qemu-arm", Emulated, "qemu-system-arm", "virt", "ttyAMA0", "tcg"},
		{"arm64", "amd64"}: {Emulated, "qemu-x86_64", Emulated, "qemu-system-x86_64", "q35", "ttyS0", "tcg"},
		{"arm64", "arm64"}: {Native, "", Native, "qemu-system-aarch64", "virt", "ttyAMA0", "kvm"},
		{"arm64", "armhf"}: {Compat32, "qemu-arm", Emulated, "qemu-system-arm", "virt", "ttyAMA0", "tcg"},
		{"armhf", "amd64"}: {Emulated, "qemu-x86_64", Emulated, "qemu-system-x86_64", "q35", "ttyS0", "tcg"},
		{"armhf", "arm64"}: {Emulated, "qemu-aarch64", Emulated, "qemu-system-aarch64", "virt", "ttyAMA0", "tcg"},
		{"armhf", "armhf"}: {Native, "", Native, "qemu-system-arm", "virt", "ttyAMA0", "kvm"},
	}
	supported := Names(true)
	if len(cases) != len(supported)*len(supported) {
		t.Fatalf("%d cases for %d supported architectures", len(cases), len(supported))
	}
	for _, h := range supported {
		for _, g := range supported {
			w, ok := cases[[2]string{h, g}]
			if !ok {
				t.Errorf("no case for host %s, target %s", h, g)
				continue
			}
			checkExec(t, h, g, Caps{Run32: true}, w.mode, w.binfmt)
			checkExec(t, h, g, Caps{}, w.noRun32, w.binfmt)
			v, err := BootOn(MustLookup(h), MustLookup(g), true)
			if err != nil {
				t.Fatalf("%s on %s: %v", g, h, err)
			}
			if v.Binary != w.qemu || v.Machine != w.machine || v.Console != w.console || v.Accel() != w.accel {
				t.Errorf("booting %s on %s: %s -machine %s console %s accel %s; want %s, %s, %s, %s",
					g, h, v.Binary, v.Machine, v.Console, v.Accel(), w.qemu, w.machine, w.console, w.accel)
			}
			if (v.CPU == "host") != v.KVM {
				t.Errorf("booting %s on %s: cpu %s with kvm %v", g, h, v.CPU, v.KVM)
			}
		}
	}
}

func checkExec(t *testing.T, h, g string, caps Caps, mode Mode, binfmt string) {
	t.Helper()
	e, err := ExecOn(MustLookup(h), MustLookup(g), caps)
	if err != nil {
		t.Fatalf("%s on %s: %v", g, h, err)
	}
	if e.Mode != mode {
		t.Errorf("%s binaries on %s (caps %+v): %s, want %s", g, h, caps, e.Mode, mode)
	}
	if mode == Emulated && (e.Emulator == nil || e.Emulator.Binfmt != binfmt) {
		t.Errorf("%s binaries on %s: emulator %+v, want binfmt entry %s", g, h, e.Emulator, binfmt)
	}
	if mode == Emulated && !caps.Run32 && g == "armhf" && h == "arm64" && !strings.Contains(e.Note, "cannot run 32-bit code") {
		t.Errorf("armhf on an arm64 CPU without AArch32 does not say why it emulates: %q", e.Note)
	}
}

func TestNoKVMMeansTCG(t *testing.T) {
	v, _ := BootOn(MustLookup("amd64"), MustLookup("amd64"), false)
	if v.KVM || v.Accel() != "tcg" || v.CPU != "max" {
		t.Errorf("amd64 without kvm: %+v", v)
	}
}

func TestKernelsAndPlatforms(t *testing.T) {
	want := map[string][2]string{
		"amd64": {"linux-image-amd64", "linux/amd64"},
		"arm64": {"linux-image-arm64", "linux/arm64/v8"},
		"armhf": {"linux-image-armmp-lpae", "linux/arm/v7"},
	}
	for name, w := range want {
		a := MustLookup(name)
		p := strings.TrimSuffix(strings.Join([]string{a.OCI.OS, a.OCI.Architecture, a.OCI.Variant}, "/"), "/")
		if a.Kernel != w[0] || p != w[1] {
			t.Errorf("%s: kernel %s platform %s, want %s %s", name, a.Kernel, p, w[0], w[1])
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("sparc")
	if err == nil || !strings.Contains(err.Error(), `"sparc"`) || !strings.Contains(err.Error(), "armhf") {
		t.Errorf("Lookup(sparc): %v", err)
	}
}

func TestHostCapsOnThisHost(t *testing.T) {
	if Host().Debian == "amd64" && !HostCaps().Run32 {
		t.Errorf("an amd64 host reports no 32-bit mode")
	}
}
