package debootstrap

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/aptrepotest"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

func TestFetchCacheResume(t *testing.T) {
	r := newTestRepo(t, localPkgs[:2])
	a, err := openLocal(t, r, r.Keyring)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	deb, _ := os.ReadFile(r.Debs["libc"])
	sum, size := aptrepotest.SHA256(deb), int64(len(deb))
	url := r.Server.URL + "/pool/main/libc_2.36_amd64.deb"
	f := a.fetch

	p, err := f.get(ctx, url, sum, size)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := filehash.Sum(p); got != sum {
		t.Fatalf("cached file has sha256 %s, want %s", got, sum)
	}
	if _, err := f.get(ctx, url, sum, size); err != nil || len(r.Requests("libc_")) != 1 {
		t.Errorf("second fetch: err %v, requests %v (want the cache to answer)", err, r.Requests("libc_"))
	}

	t.Run("corrupted cache entry", func(t *testing.T) {
		os.WriteFile(p, make([]byte, size), 0o644)
		p2, err := f.get(ctx, url, sum, size)
		if got, _ := filehash.Sum(p2); err != nil || got != sum || len(r.Requests("libc_")) != 2 {
			t.Errorf("err %v, sha %s, requests %v: want the entry fetched again", err, got, r.Requests("libc_"))
		}
	})

	t.Run("resume", func(t *testing.T) {
		os.Remove(p)
		half := size / 2
		os.WriteFile(f.cache.partial(sum), deb[:half], 0o644)
		p3, err := f.get(ctx, url, sum, size)
		if err != nil {
			t.Fatal(err)
		}
		reqs := r.Requests("libc_")
		if last := reqs[len(reqs)-1]; !strings.HasSuffix(last, "bytes="+itoa(half)+"-") {
			t.Errorf("last request %q did not resume at byte %d", last, half)
		}
		if got, _ := filehash.Sum(p3); got != sum {
			t.Errorf("resumed file has sha256 %s", got)
		}
	})

	t.Run("tampered deb", func(t *testing.T) {
		os.Remove(p)
		bad := append([]byte(nil), deb...)
		bad[len(bad)-1] ^= 0xff
		os.WriteFile(r.Debs["libc"], bad, 0o644)
		_, err := f.get(ctx, url, sum, size)
		if err == nil || !strings.Contains(err.Error(), url) || !strings.Contains(err.Error(), "checksum mismatch") {
			t.Errorf("got %v, want a checksum error naming %s", err, url)
		}
		if _, ok, _ := f.cache.lookup(sum, size); ok {
			t.Error("a bad download reached the cache")
		}
		if _, err := os.Stat(f.cache.partial(sum)); err == nil {
			t.Error("the bad partial download was kept")
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := f.get(ctx, r.Server.URL+"/pool/nosuch.deb", strings.Repeat("0", 64), 1)
		if err == nil || !strings.Contains(err.Error(), "/pool/nosuch.deb: server answered 404") {
			t.Errorf("got %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestFetchRetries serves two failures before the file: the fetcher backs
// off and succeeds.
func TestFetchRetries(t *testing.T) {
	data := []byte("package bytes")
	failures := 2
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failures > 0 {
			failures--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Write(data)
	}))
	defer srv.Close()
	c, _ := openCache(t.TempDir())
	f := newFetcher(c)
	f.backoff = time.Millisecond
	p, err := f.get(context.Background(), srv.URL+"/x.deb", aptrepotest.SHA256(data), int64(len(data)))
	if err != nil || failures != 0 {
		t.Fatalf("err %v, failures left %d", err, failures)
	}
	if got, _ := os.ReadFile(p); string(got) != string(data) {
		t.Errorf("fetched %q", got)
	}
}
