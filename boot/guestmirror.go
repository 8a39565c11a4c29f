package boot

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/chrootbuild/chrootbuild/debootstrap"
)

// mirrorAddr is where a guest given Options.Guest reaches the
// distribution's mirror: QEMU forwards it to a proxy on the host's
// loopback that passes GET and HEAD to the mirror and nothing else. The
// user network stays restricted: the guest reaches no other host service
// and nothing beyond.
const mirrorAddr = "169.254.42.80"

// guestMirrorURL is the mirror's URL inside the guest.
const guestMirrorURL = "http://" + mirrorAddr + "/"

// startMirrorProxy serves the proxy to the image's mirror (opt.Mirror,
// or the distribution's default) on a loopback port and returns it.
func (s *session) startMirrorProxy() (int, error) {
	mirror := s.opt.Mirror
	if mirror == "" {
		m, err := debootstrap.DefaultMirror(s.info.Distribution, s.info.Arch)
		if err != nil {
			return 0, fmt.Errorf("choosing the mirror for the guest: %w", err)
		}
		mirror = m
	}
	target, err := url.Parse(mirror)
	if err != nil {
		return 0, fmt.Errorf("parsing the mirror %s: %w", mirror, err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	direct := proxy.Director
	proxy.Director = func(r *http.Request) { direct(r); r.Host = target.Host }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("starting the guest's mirror proxy: %w", err)
	}
	s.mirror = &http.Server{Handler: readOnly(proxy), IdleTimeout: 10 * time.Second}
	go s.mirror.Serve(l)
	return l.Addr().(*net.TCPAddr).Port, nil
}

// readOnly refuses every method but GET and HEAD.
func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "the mirror proxy only reads", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}
