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
)

// localPkgs is the test repository: an essential base with a
// pre-dependency and a virtual dependency, alternatives, versioned
// dependencies and a chain that cannot be satisfied.
var localPkgs = []testPkg{
	{name: "base", version: "1.0", fields: "Essential: yes\nPriority: required\nPre-Depends: libc\nDepends: awk\n",
		files: map[string]string{"usr/bin/base": "#!/bin/sh\n"}},
	{name: "libc", version: "2.36", fields: "Priority: optional\n", files: map[string]string{"usr/lib/libc.so": "elf"}},
	{name: "mawk", version: "1.3", fields: "Priority: required\nProvides: awk\n"},
	{name: "gawk", version: "5.2", fields: "Priority: optional\nProvides: awk\n"},
	{name: "libfoo", version: "1.5", fields: "Priority: optional\n"},
	{name: "tool", version: "1", fields: "Priority: optional\nDepends: nonexistent | libfoo (>= 1.0)\n"},
	{name: "broken", version: "1", fields: "Priority: optional\nDepends: libfoo (>= 2.0)\n"},
	{name: "wrapper", version: "1", fields: "Priority: optional\nDepends: broken\n"},
	{name: "mta-user", version: "1", fields: "Priority: optional\nDepends: mail-transport-agent\n"},
	{name: "exim", version: "4", fields: "Priority: optional\nProvides: mail-transport-agent\n"},
	{name: "postfix", version: "3", fields: "Priority: optional\nProvides: mail-transport-agent\n"},
}

func openLocal(t *testing.T, r *testRepo, keyring string) (*archive, error) {
	t.Helper()
	c, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := newFetcher(c)
	f.backoff = time.Millisecond
	a := &archive{mirror: r.url(), suite: "test", arch: "amd64", components: []string{"main"}, fetch: f}
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
	a, err := openLocal(t, r, r.keyring)
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := a.loadIndex(context.Background(), "main")
	if err != nil {
		t.Fatal(err)
	}
	xz, _ := os.ReadFile(filepath.Join(r.dir, "dists/test/main/binary-amd64/Packages.xz"))
	if got := r.requests("/by-hash/SHA256/"); len(got) != 1 || !strings.HasSuffix(got[0], sha(xz)) {
		t.Errorf("the .xz index was not fetched by hash: %v", r.hits)
	}
	saved := hostXZ
	hostXZ = func() string { return "" }
	goPkgs, err := parseIndexFile(filepath.Join(r.dir, "dists/test/main/binary-amd64/Packages.xz"), ".xz")
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
	in := filepath.Join(r.dir, "dists/test/InRelease")
	good, _ := os.ReadFile(in)
	other := newTestRepo(t, localPkgs[:1])

	if _, err := openLocal(t, r, r.keyring); err != nil {
		t.Fatalf("good InRelease: %v", err)
	}
	if _, err := openLocal(t, r, other.keyring); err == nil || !strings.Contains(err.Error(), r.url()+"/dists/test/InRelease") {
		t.Errorf("InRelease signed by an unknown key: got %v, want an error naming the URL", err)
	}
	writeFile(t, in, bytes.Replace(good, []byte("Origin: test"), []byte("Origin: evil"), 1))
	if _, err := openLocal(t, r, r.keyring); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("tampered InRelease: got %v, want a signature error", err)
	}
	os.Remove(in)
	if _, err := openLocal(t, r, r.keyring); err != nil {
		t.Errorf("Release + Release.gpg: %v", err)
	}
	if len(r.requests("Release.gpg")) == 0 {
		t.Error("Release.gpg was not fetched")
	}
	rel := filepath.Join(r.dir, "dists/test/Release")
	relData, _ := os.ReadFile(rel)
	writeFile(t, rel, append(relData, []byte(" "+strings.Repeat("0", 64)+" 1 main/extra\n")...))
	if _, err := openLocal(t, r, r.keyring); err == nil || !strings.Contains(err.Error(), "Release.gpg") {
		t.Errorf("tampered Release: got %v, want an error naming Release.gpg", err)
	}
	os.Remove(rel + ".gpg")
	if _, err := openLocal(t, r, r.keyring); err == nil || !strings.Contains(err.Error(), "unsigned") {
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
	a, err := openLocal(t, r, r.keyring)
	if err != nil {
		t.Fatal(err)
	}
	a.suite = "nosuch"
	if err := a.openRelease(context.Background(), nil, io.Discard); err == nil || !strings.Contains(err.Error(), "suite nosuch not found on "+r.url()) {
		t.Errorf("unknown suite: %v", err)
	}
	a.suite, a.arch = "test", "arm64"
	if err := a.openRelease(context.Background(), nil, io.Discard); err == nil || !strings.Contains(err.Error(), "architecture arm64 is not in suite test") {
		t.Errorf("unknown architecture: %v", err)
	}
	a.arch = "amd64"
	gz := filepath.Join(r.dir, "dists/test/main/binary-amd64/Packages.xz")
	data, _ := os.ReadFile(gz)
	writeFile(t, filepath.Join(r.dir, "dists/test/main/binary-amd64/by-hash/SHA256", sha(data)), append(data, 0))
	_, err = a.loadIndex(context.Background(), "main")
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), "/by-hash/SHA256/"+sha(data)) {
		t.Errorf("index with a wrong checksum: %v", err)
	}
	r.srv.Close()
	if err := a.openRelease(context.Background(), nil, io.Discard); err == nil || !strings.Contains(err.Error(), r.url()+"/dists/test/InRelease") {
		t.Errorf("mirror down: %v", err)
	}
}
