package debootstrap

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/chrootbuild/chrootbuild/internal/aptrepotest"
)

// localPkgs is the test repository: an essential base with a
// pre-dependency and a virtual dependency, alternatives, versioned
// dependencies and a chain that cannot be satisfied.
var localPkgs = []testPkg{
	{Name: "base", Version: "1.0", Fields: "Essential: yes\nPriority: required\nPre-Depends: libc\nDepends: awk\n",
		Files: map[string]string{"usr/bin/base": "#!/bin/sh\n"}},
	{Name: "libc", Version: "2.36", Fields: "Priority: optional\n", Files: map[string]string{"usr/lib/libc.so": "elf"}},
	{Name: "mawk", Version: "1.3", Fields: "Priority: required\nProvides: awk\n"},
	{Name: "gawk", Version: "5.2", Fields: "Priority: optional\nProvides: awk\n"},
	{Name: "libfoo", Version: "1.5", Fields: "Priority: optional\n"},
	{Name: "tool", Version: "1", Fields: "Priority: optional\nDepends: nonexistent | libfoo (>= 1.0)\n"},
	{Name: "broken", Version: "1", Fields: "Priority: optional\nDepends: libfoo (>= 2.0)\n"},
	{Name: "wrapper", Version: "1", Fields: "Priority: optional\nDepends: broken\n"},
	{Name: "mta-user", Version: "1", Fields: "Priority: optional\nDepends: mail-transport-agent\n"},
	{Name: "exim", Version: "4", Fields: "Priority: optional\nProvides: mail-transport-agent\n"},
	{Name: "postfix", Version: "3", Fields: "Priority: optional\nProvides: mail-transport-agent\n"},
}

func openLocal(t *testing.T, r *testRepo, keyring string) (*archive, error) {
	t.Helper()
	c, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := newFetcher(c)
	f.backoff = time.Millisecond
	a := &archive{mirror: r.Server.URL, suite: "test", arch: "amd64", components: []string{"main"}, fetch: f}
	var keys openpgp.EntityList
	if keyring != "" {
		data, _ := os.ReadFile(keyring)
		if keys, err = parseKeyring(data); err != nil {
			t.Fatal(err)
		}
	}
	return a, a.openRelease(context.Background(), keys, io.Discard)
}

func TestResolveLocalRepo(t *testing.T) {
	r := newTestRepo(t, localPkgs)
	a, err := openLocal(t, r, r.Keyring)
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := a.loadIndex(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	xz, _ := os.ReadFile(filepath.Join(r.Dir, "dists/test/main/binary-amd64/Packages.xz"))
	if got := r.Requests("/by-hash/SHA256/"); len(got) != 1 || !strings.HasSuffix(got[0], aptrepotest.SHA256(xz)) {
		t.Errorf("the .xz index was not fetched by hash: %v", r.Requests(""))
	}
	saved := hostXZ
	hostXZ = func() string { return "" }
	goPkgs, err := parseIndexFile(filepath.Join(r.Dir, "dists/test/main/binary-amd64/Packages.xz"), ".xz")
	hostXZ = saved
	if err != nil || len(goPkgs) != len(pkgs) {
		t.Errorf("the Go xz decoder read %d packages, %v; the host's %d", len(goPkgs), err, len(pkgs))
	}
	u := newUniverse("amd64", pkgs)
	tests := []struct {
		name, variant    string
		include, exclude []string
		want             []string
		err              string
	}{
		{name: "essential", variant: "essential", want: []string{"base", "libc", "mawk"}},
		{name: "minbase", variant: "minbase", want: []string{"base", "libc", "mawk"}},
		{name: "alternative", variant: "minbase", include: []string{"tool"}, want: []string{"base", "libc", "libfoo", "mawk", "tool"}},
		{name: "virtual", variant: "minbase", include: []string{"mta-user"}, want: []string{"base", "exim", "libc", "mawk", "mta-user"}},
		{name: "exclude provider", variant: "minbase", include: []string{"gawk"}, exclude: []string{"mawk"}, want: []string{"base", "gawk", "libc"}},
		{name: "unsatisfiable", variant: "minbase", include: []string{"wrapper"}, err: "unsatisfiable dependency libfoo (>= 2.0): needed by wrapper -> broken"},
		{name: "unknown", variant: "minbase", include: []string{"nosuch"}, err: "package nosuch: not found"},
		{name: "bad variant", variant: "huge", err: `unknown variant "huge"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seeds, err := u.seeds(tc.variant, true)
			var got []*Package
			if err == nil {
				got, err = u.resolve(seeds, tc.include, tc.exclude)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range got {
				names = append(names, p.Name)
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("got %v, want %v", names, tc.want)
			}
		})
	}
}

func TestReleaseVerification(t *testing.T) {
	r := newTestRepo(t, localPkgs[:3])
	in := filepath.Join(r.Dir, "dists/test/InRelease")
	good, _ := os.ReadFile(in)
	other := newTestRepo(t, localPkgs[:1])

	if _, err := openLocal(t, r, r.Keyring); err != nil {
		t.Fatalf("good InRelease: %v", err)
	}
	if _, err := openLocal(t, r, other.Keyring); err == nil || !strings.Contains(err.Error(), r.Server.URL+"/dists/test/InRelease") {
		t.Errorf("InRelease signed by an unknown key: got %v, want an error naming the URL", err)
	}
	aptrepotest.WriteFile(t, in, bytes.Replace(good, []byte("Origin: test"), []byte("Origin: evil"), 1))
	if _, err := openLocal(t, r, r.Keyring); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("tampered InRelease: got %v, want a signature error", err)
	}
	os.Remove(in)
	if _, err := openLocal(t, r, r.Keyring); err != nil {
		t.Errorf("Release + Release.gpg: %v", err)
	}
	if len(r.Requests("Release.gpg")) == 0 {
		t.Error("Release.gpg was not fetched")
	}
	rel := filepath.Join(r.Dir, "dists/test/Release")
	relData, _ := os.ReadFile(rel)
	aptrepotest.WriteFile(t, rel, append(relData, []byte(" "+strings.Repeat("0", 64)+" 1 main/extra\n")...))
	if _, err := openLocal(t, r, r.Keyring); err == nil || !strings.Contains(err.Error(), "Release.gpg") {
		t.Errorf("tampered Release: got %v, want an error naming Release.gpg", err)
	}
	os.Remove(rel + ".gpg")
	if _, err := openLocal(t, r, r.Keyring); err == nil || !strings.Contains(err.Error(), "unsigned") {
		t.Errorf("unsigned archive: got %v, want refusal", err)
	}
	var log bytes.Buffer
	a, _ := openLocal(t, r, "")
	if err := a.openRelease(context.Background(), nil, &log); err != nil || !strings.Contains(log.String(), "WARNING: insecure") {
		t.Errorf("insecure: err %v, log %q", err, log.String())
	}
}

func TestArchiveBadInput(t *testing.T) {
	r := newTestRepo(t, localPkgs[:3])
	a, err := openLocal(t, r, r.Keyring)
	if err != nil {
		t.Fatal(err)
	}
	a.suite = "nosuch"
	if err := a.openRelease(context.Background(), nil, io.Discard); err == nil || !strings.Contains(err.Error(), "suite nosuch not found on "+r.Server.URL) {
		t.Errorf("unknown suite: %v", err)
	}
	a.suite, a.arch = "test", "arm64"
	if err := a.openRelease(context.Background(), nil, io.Discard); err == nil || !strings.Contains(err.Error(), "architecture arm64 is not in suite test") {
		t.Errorf("unknown architecture: %v", err)
	}
	a.arch = "amd64"
	gz := filepath.Join(r.Dir, "dists/test/main/binary-amd64/Packages.xz")
	data, _ := os.ReadFile(gz)
	aptrepotest.WriteFile(t, filepath.Join(r.Dir, "dists/test/main/binary-amd64/by-hash/SHA256", aptrepotest.SHA256(data)), append(data, 0))
	_, err = a.loadIndex(context.Background(), "main")
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), "/by-hash/SHA256/"+aptrepotest.SHA256(data)) {
		t.Errorf("index with a wrong checksum: %v", err)
	}
	r.Server.Close()
	if err := a.openRelease(context.Background(), nil, io.Discard); err == nil || !strings.Contains(err.Error(), r.Server.URL+"/dists/test/InRelease") {
		t.Errorf("mirror down: %v", err)
	}
}
