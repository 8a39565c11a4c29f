package images_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/internal/nbdtest"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/internal/testroot"
	"github.com/chrootbuild/chrootbuild/metadata"
)

// TestRescueBootsFromRAM boots the rescue initramfs in QEMU (TCG, so it
// runs wherever KVM does not) with Debian's kernel and nothing else: no
// disk. The kernel's modules come as a second cpio after the image's, as a
// platform's boot script would add them. It waits for the log-in prompt on
// the serial console at 9600 bps and checks /init switched to the tmpfs,
// the host key fingerprints were shown, the SSH keys were fetched, a real
// NBD volume (nbdkit) was attached, the metadata's host name was taken,
// and no unit failed.
func TestRescueBootsFromRAM(t *testing.T) {
	b, _ := rescueInitramfs(t)
	qemu := testenv.RequireTool(t, "qemu-system-x86_64")
	testenv.RequireTool(t, "nc")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	k, err := boot.FetchKernel(ctx, "debian", b.suite(t), "amd64", "http://deb.debian.org/debian", testroot.CacheDir(), func(s string) { t.Log(s) })
	if err != nil {
		t.Fatalf("fetching the kernel: %v", err)
	}
	initrd := withModules(t, filepath.Join(b.out, "rescue.cpio.gz"), k)
	nbd := nbdPort(t, nbdtest.Nbdkit(t, "64M", nil))
	m := fixture()
	m.Hostname = "rescue-test"
	// Volume 1 is a real export (nbdkit on loopback) that the guest reaches
	// at 169.254.42.43:10809 through QEMU.
	m.Volumes = map[string]metadata.Volume{
		"0": {Name: "root", ExportURI: "nbd://169.254.42.43:10809"},
		"1": {Name: "data", ExportURI: "nbd://169.254.42.43:10809"},
	}
	port := serveMetadata(t, m)

	consoleLog := filepath.Join(t.TempDir(), "console")
	cmd := exec.CommandContext(ctx, qemu, "-machine", "q35", "-accel", "tcg", "-m", "2048", "-smp", "2",
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
		"-serial", "file:"+consoleLog,
		"-kernel", k.Image, "-initrd", initrd,
		// no_timer_check: under TCG on a loaded host the kernel's IO-APIC
		// timer check can fail and panic ("IO-APIC + timer doesn't work!",
		// seen with trixie's 6.12 at load 20 on 2 cores).
		"-append", "console=ttyS0,9600n8 net.ifnames=0 panic=-1 no_timer_check",
		"-netdev", "user,id=n0,net=169.254.0.0/16,host=169.254.0.2,dns=169.254.0.3,dhcpstart=169.254.0.15,"+
			fmt.Sprintf("guestfwd=tcp:169.254.42.42:80-cmd:nc 127.0.0.1 %d,", port)+
			fmt.Sprintf("guestfwd=tcp:169.254.42.43:10809-cmd:nc 127.0.0.1 %d", nbd),
		"-device", "virtio-net-pci,netdev=n0")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()

	waitFor(t, consoleLog, regexp.MustCompile(`\S+ login: `), 12*time.Minute)
	// The helpers' units are ordered before sshd, not before the getty:
	// under a slow emulator their lines may follow the log-in prompt.
	console, missing := waitForAll(consoleLog, 3*time.Minute,
		"rescue: running from RAM (tmpfs); starting /sbin/init",
		"-----BEGIN SSH HOST KEY FINGERPRINTS-----",
		"-----END SSH HOST KEY FINGERPRINTS-----",
		"oc-fetch-ssh-keys: 3 key(s) in /root/.ssh/authorized_keys",
		"oc-add-extra-volumes: attaching nbd://169.254.42.43:10809 to /dev/nbd1",
		"rescue-test login:",
	)
	for _, want := range missing {
		t.Errorf("console lacks %q", want)
	}
	if failed := regexp.MustCompile(`FAILED.*`).FindAllString(console, -1); len(failed) > 0 {
		t.Errorf("units failed: %q", failed)
	}
	if t.Failed() {
		t.Logf("console:\n%s", console)
	}
}

// withModules writes the rescue cpio followed by a cpio of the kernel's
// modules; the kernel unpacks both.
func withModules(t *testing.T, cpio string, k *boot.Kernel) string {
	t.Helper()
	dir := t.TempDir()
	stage := filepath.Join(dir, "stage")
	if err := os.MkdirAll(filepath.Join(stage, "usr/lib/modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", k.Modules, filepath.Join(stage, "usr/lib/modules", k.Version)).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	image, err := os.ReadFile(cpio)
	if err != nil {
		t.Fatal(err)
	}
	// The kernel looks for the next archive at a 4-byte boundary and
	// skips zeros up to it.
	image = append(image, make([]byte, (4-len(image)%4)%4)...)
	out := filepath.Join(dir, "initrd")
	if err := os.WriteFile(out, image, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `cd "$1" && find usr | cpio -o -H newc -R 0:0 --quiet >>"$2"`
	if o, err := exec.Command("sh", "-c", script, "sh", stage, out).CombinedOutput(); err != nil {
		t.Fatalf("making the initrd: %v: %s", err, o)
	}
	return out
}

// serveMetadata serves m on a loopback port for QEMU's guestfwd.
func serveMetadata(t *testing.T, m *metadata.Metadata) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: metadata.Handler(m)}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

// waitFor polls a console log until re matches in it or the time is up,
// and returns the log.
func waitFor(t *testing.T, name string, re *regexp.Regexp, limit time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		b, _ := os.ReadFile(name)
		text := strings.ReplaceAll(string(b), "\r", "")
		if re.MatchString(text) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("no match for %s on the console after %s; it ends:\n%s", re, limit, tail(text, 3000))
		}
		time.Sleep(2 * time.Second)
	}
}

// waitForAll polls a console log until it holds every one of wants or the
// time is up, and returns the log and the wants it lacks.
func waitForAll(name string, limit time.Duration, wants ...string) (string, []string) {
	deadline := time.Now().Add(limit)
	for {
		b, _ := os.ReadFile(name)
		text := strings.ReplaceAll(string(b), "\r", "")
		var missing []string
		for _, w := range wants {
			if !strings.Contains(text, w) {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			return text, missing
		}
		time.Sleep(2 * time.Second)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// nbdPort is the port of a loopback host:port.
func nbdPort(t *testing.T, addr string) int {
	t.Helper()
	_, port, _ := strings.Cut(addr, ":")
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
