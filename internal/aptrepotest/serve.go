package aptrepotest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Serve serves the repository on loopback until the test ends and returns
// its URL.
func (r *Repo) Serve(t testing.TB) string {
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Server.Close)
	return r.Server.URL
}

func (r *Repo) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	hit := req.URL.Path
	if rg := req.Header.Get("Range"); rg != "" {
		hit += " " + rg
	}
	r.hits = append(r.hits, hit)
	r.mu.Unlock()
	http.FileServer(http.Dir(r.Dir)).ServeHTTP(w, req)
}

// Requests returns the requests served so far whose path contains s
// ("" for all), with the Range header when there was one.
func (r *Repo) Requests(s string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, h := range r.hits {
		if strings.Contains(h, s) {
			out = append(out, h)
		}
	}
	return out
}
