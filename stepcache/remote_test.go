package stepcache_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
	"github.com/chrootbuild/chrootbuild/internal/s3test"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
	"github.com/chrootbuild/chrootbuild/publish/s3"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// TestFetchRemoteStopsAtCorruptLayer has cache A upload a chain of four
// layers and an output (of several S2 frames) to a versitygw bucket. With the third layer's
// object garbled, cache B (fetching layers side by side) keeps the two
// below it, reports the third once, keeps nothing of it or past it, and
// gets the output, checked and readable by all, from its background fetch.
func TestFetchRemoteStopsAtCorruptLayer(t *testing.T) {
	srv, store := remoteStore(t, "t")
	ctx := context.Background()
	a := openCache(t)
	a.SetRemote(store, stepcache.RemoteReadWrite, "test", func(m string) { t.Errorf("cache A: %s", m) })
	var keys []stepcache.Key
	var parent stepcache.Key
	for i := range 4 {
		k := stepcache.NewKey(parent, []byte{byte(i)})
		commitLayer(t, a, k, parent, strings.Repeat("layer ", 1000*(i+1)))
		keys, parent = append(keys, k), k
	}
	out := stepcache.NewKey(parent, []byte("output"))
	file := filepath.Join(t.TempDir(), "rootfs.tar")
	body := bytes.Repeat([]byte("output "), 3<<19) // 11 MB: three S2 frames
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _ := filehash.Sum(file)
	if _, err := a.PutFile(out, file, sum, 0); err != nil {
		t.Fatal(err)
	}
	a.FlushRemote(ctx)

	victim := filepath.Join(srv.Dir, "cache", "t", "layers", string(keys[2])+".tar.s2")
	if err := os.WriteFile(victim, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := openCache(t)
	var mu sync.Mutex
	var warns []string
	b.SetRemote(store, stepcache.RemoteRead, "test", func(m string) { mu.Lock(); warns = append(warns, m); mu.Unlock() })
	b.PrefetchFiles([]stepcache.Key{out})
	if n := b.FetchRemote(ctx, keys); n != 2 {
		t.Fatalf("FetchRemote restored %d layers, want the 2 below the corrupt one", n)
	}
	if !b.Has(keys[0]) || !b.Has(keys[1]) || b.Has(keys[2]) || b.Has(keys[3]) {
		t.Fatal("cache B holds other layers than the two below the corrupt one")
	}
	if torn, _ := filepath.Glob(filepath.Join(b.Dir(), "layers", "*.tmp-*")); len(torn) != 0 {
		t.Fatalf("unfinished entries left behind: %v", torn)
	}
	dest := filepath.Join(t.TempDir(), "rootfs.tar")
	got, err := b.GetFile(out, dest)
	if err != nil || got != sum {
		t.Fatalf("GetFile: sum %q, %v; want %q", got, err, sum)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("restored output: %v, %v; want mode 0644", fi.Mode(), err)
	}
	b.FlushRemote(ctx)
	mu.Lock()
	defer mu.Unlock()
	if len(warns) != 1 || !strings.Contains(warns[0], "is corrupt") {
		t.Fatalf("warnings %q, want one about the corrupt layer", warns)
	}
}

// remoteStore starts a versitygw bucket "cache" and returns it with the
// remote cache under its prefix.
func remoteStore(t *testing.T, prefix string) (*s3test.Server, *s3.RemoteCache) {
	t.Helper()
	testenv.RequireRoot(t)
	srv := s3test.Start(t, "cache")
	t.Setenv("AWS_ENDPOINT_URL", srv.Endpoint)
	store, err := s3.NewRemoteCache(context.Background(), "s3://cache/"+prefix+"/", "")
	if err != nil {
		t.Fatal(err)
	}
	return srv, store
}

func openCache(t *testing.T) *stepcache.Cache {
	t.Helper()
	c, err := stepcache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func commitLayer(t *testing.T, c *stepcache.Cache, k, parent stepcache.Key, content string) {
	t.Helper()
	tx, err := c.Begin(k, parent, "layer")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tx.Dir(), "file-"+string(k)), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestOutputUploadedWhenWorthFetching keeps two outputs of 40 MB (past
// the size always uploaded): one packed in no time, which a machine packs
// again faster than it would fetch it, and one that took a minute. Only
// the slow one gets a remote object, and the fast one is not offered
// again when it is restored from the local cache.
func TestOutputUploadedWhenWorthFetching(t *testing.T) {
	srv, store := remoteStore(t, "w")
	ctx := context.Background()
	c := openCache(t)
	c.SetRemote(store, stepcache.RemoteReadWrite, "test", func(m string) { t.Errorf("cache: %s", m) })
	file := filepath.Join(t.TempDir(), "rootfs.tar")
	if err := os.WriteFile(file, bytes.Repeat([]byte("output "), 6<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _ := filehash.Sum(file)
	fast, slow := stepcache.NewKey("", []byte("fast")), stepcache.NewKey("", []byte("slow"))
	for k, packed := range map[stepcache.Key]time.Duration{fast: 0, slow: time.Minute} {
		worth, err := c.PutFile(k, file, sum, packed)
		if err != nil {
			t.Fatal(err)
		}
		if worth != (k == slow) {
			t.Errorf("PutFile of the output packed in %s says worth a remote object: %v", packed, worth)
		}
	}
	if _, err := c.GetFile(fast, filepath.Join(t.TempDir(), "again.tar")); err != nil {
		t.Fatal(err)
	}
	c.FlushRemote(ctx)
	for k, want := range map[stepcache.Key]bool{fast: false, slow: true} {
		_, err := os.Stat(filepath.Join(srv.Dir, "cache", "w", "outputs", string(k)+".tar.s2"))
		if got := err == nil; got != want {
			t.Errorf("remote object of the output packed %s: %v, want %v", map[bool]string{true: "slowly", false: "fast"}[want], got, want)
		}
	}
}

// TestWorthFetching checks the rule on its edges: small outputs always,
// large ones when packing took longer than fetching at 128 MiB/s.
func TestWorthFetching(t *testing.T) {
	for _, tc := range []struct {
		size   int64
		packed time.Duration
		want   bool
	}{
		{32 << 20, 0, true},
		{32<<20 + 1, 0, false},
		{256 << 20, 1900 * time.Millisecond, false},
		{256 << 20, 2100 * time.Millisecond, true},
		{1 << 30, 30 * time.Second, true},
	} {
		if got := stepcache.WorthFetching(tc.size, tc.packed); got != tc.want {
			t.Errorf("WorthFetching(%d, %s) = %v, want %v", tc.size, tc.packed, got, tc.want)
		}
	}
}
