package debootstrap

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/canary"
)

func TestPackageNames(t *testing.T) {
	for name, want := range map[string]bool{
		"libc6": true, "g++": true, "libstdc++6": true, "python3.11": true, "0ad": true, "x-2": true,
		"": false, "a": false, "../x": false, "a/b": false, "Abc": false, "-ab": false, ".ab": false,
		"+ab": false, "ab c": false, "ab_c": false, "ab\n": false,
	} {
		if got := validPackageName(name); got != want {
			t.Errorf("validPackageName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestPoolFilenames(t *testing.T) {
	for name, want := range map[string]string{
		"pool/main/d/dash/dash_0.5.12-2_amd64.deb":                     "",
		"pool/main/g/gcc-12/libgcc-s1_12.3.0-1ubuntu1~22.04_amd64.deb": "",
		"pool/main/libs/libstdc++6_1_amd64.deb":                        "",
		"/etc/passwd":                                                  "not a clean relative path",
		"pool/../../etc/passwd":                                        "not a clean relative path",
		"pool/main/../../x.deb":                                        "not a clean relative path",
		"pool/./x.deb":                                                 "not a clean relative path",
		"pool//x.deb":                                                  "not a clean relative path",
		"dists/x.deb":                                                  "not under the archive's pool/",
		"pool/":                                                        "not a clean relative path",
		"x.deb":                                                        "not under the archive's pool/",
		"pool/%2e%2e/%2e%2e/x.deb":                                     "has characters",
		"pool/x.deb?y":                                                 "has characters",
		"pool/x y.deb":                                                 "has characters",
		"./x.deb":                                                      "not a clean relative path",
		"pool/main/d/dash/dash_0.5\x00_amd64.deb":                      "has characters",
	} {
		err := checkFilename(name)
		if (err == nil) != (want == "") || err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("checkFilename(%q) = %v, want %q", name, err, want)
		}
	}
}

// TestHostileArchiveNames bootstraps from signed archives whose index
// names an essential package with a path (which the repacked .deb was
// named after) or gives a Filename outside pool/: each fails with an
// error naming the index, the stanza and the field, and nothing is
// written outside the root.
func TestHostileArchiveNames(t *testing.T) {
	c := canary.New(t)
	escape := "../../../../../../../../../.." + c.Dir + "/evil"
	tests := []struct {
		name, indexName, filename, err string
	}{
		{"package name", escape, "", `stanza 1: package name "` + escape + `" is not valid under Debian policy`},
		{"filename", "", "pool/../../../../../.." + c.File, `stanza 1: package base: Filename "pool/../../../../../..` + c.File + `" is not a clean relative path`},
		{"absolute filename", "", c.File, `is not a clean relative path`},
		{"url escape", "", "pool/%2e%2e/%2e%2e/x.deb", `Filename "pool/%2e%2e/%2e%2e/x.deb" has characters no pool file name has`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newTestRepo(t, []testPkg{{Name: "base", Version: "1", Fields: "Essential: yes\nPriority: required\n",
				Files: map[string]string{"usr/bin/base": "#!/bin/sh\n"}, IndexName: tc.indexName, Filename: tc.filename}})
			dir := filepath.Join(t.TempDir(), "root")
			_, err := Bootstrap(context.Background(), dir, Options{Distribution: "debian", Suite: "test", Arch: "amd64",
				Mirror: r.Server.URL, Keyring: r.Keyring, CacheDir: t.TempDir(), Log: io.Discard})
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "/dists/test/main/binary-amd64/Packages") {
				t.Errorf("got %v\nwant an error naming the index and containing %q", err, tc.err)
			}
			c.Check(t)
		})
	}
}
