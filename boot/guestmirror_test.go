package boot

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/arch"
)

// TestGuestMirrorProxy serves a mirror on loopback and reads it through
// the guest's proxy: GET reaches the mirror's path, anything else is
// refused; QEMU forwards the guest's mirror address to the proxy only.
func TestGuestMirrorProxy(t *testing.T) {
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s", r.Method, r.URL.Path)
	}))
	defer mirror.Close()
	s := &session{opt: Options{Mirror: mirror.URL + "/debian"}, info: &ImageInfo{Distribution: "debian", Arch: "arm64"}}
	port, err := s.startMirrorProxy()
	if err != nil {
		t.Fatal(err)
	}
	defer s.mirror.Close()
	proxy := fmt.Sprintf("http://127.0.0.1:%d", port)
	resp, err := http.Get(proxy + "/dists/bookworm/InRelease")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "GET /debian/dists/bookworm/InRelease" {
		t.Errorf("through the proxy the mirror saw %q", body)
	}
	resp, err = http.Post(proxy+"/dists", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST through the proxy: %s", resp.Status)
	}
	m, _ := arch.BootOn(arch.MustLookup("arm64"), arch.MustLookup("arm64"), false)
	v := &vm{Machine: m, Kernel: &Kernel{}, MetaPort: 8080, MirrorPort: port}
	args := strings.Join(v.Args(), " ")
	if want := fmt.Sprintf("guestfwd=tcp:%s:80-cmd:nc 127.0.0.1 %d", mirrorAddr, port); !strings.Contains(args, want) || !strings.Contains(args, "restrict=on") {
		t.Errorf("QEMU's network %s lacks %s", args, want)
	}
}

// TestShellQuote runs a quoted command line through a real shell and
// gets argv back unchanged.
func TestShellQuote(t *testing.T) {
	argv := []string{"printf", "%s|", "a b", "it's", "$HOME", "x;y", ""}
	out, err := exec.Command("sh", "-c", shellQuote(argv)).Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "a b|it's|$HOME|x;y||"; string(out) != want {
		t.Errorf("through the shell: %q, want %q", out, want)
	}
}
