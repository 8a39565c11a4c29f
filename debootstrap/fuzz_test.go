package debootstrap

import (
	"bytes"
	"encoding/hex"
	"path"
	"strings"
	"testing"
)

// releaseSeed is a Release file as Debian's archive writes one.
const releaseSeed = `Origin: Debian
Label: Debian
Suite: stable
Codename: bookworm
Date: Sat, 07 Oct 2023 09:57:03 UTC
Valid-Until: Sat, 14 Oct 2023 09:57:03 UTC
Acquire-By-Hash: yes
Architectures: all amd64 arm64
Components: main contrib
SHA256:
 0ed6d4c8891eb86358b94bb35d9e4da39ac6ae6a3c5c4d2d3a63cdb2a1c8f7a0   1484 contrib/Contents-all
 a3b1d9f7d4a3b1d9f7d4a3b1d9f7d4a3b1d9f7d4a3b1d9f7d4a3b1d9f7d4a3b1  8765432 main/binary-amd64/Packages.xz
`

// FuzzParseRelease: a Release file, signed or not, never panics the
// parser, and what it accepts is usable: every listed file has a SHA256 of
// 64 hex digits and a size that is not negative.
func FuzzParseRelease(f *testing.F) {
	f.Add([]byte(releaseSeed))
	f.Add([]byte("Suite: x\nSHA256:\n"))
	f.Add([]byte("Valid-Until: Sat, 14 Oct 2023 09:57:03 UTC\nSHA256:\n " + strings.Repeat("0", 64) + " -1 x\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		r, err := parseRelease(text)
		if err != nil {
			return
		}
		if len(r.Files) == 0 {
			t.Fatal("accepted a Release listing no files")
		}
		for name, fs := range r.Files {
			if _, herr := hex.DecodeString(fs.SHA256); herr != nil || len(fs.SHA256) != 64 || fs.Size < 0 {
				t.Fatalf("accepted %q with SHA256 %q, size %d", name, fs.SHA256, fs.Size)
			}
		}
	})
}

// packagesSeed is a Packages stanza as Debian's archive writes one.
const packagesSeed = `Package: hello
Version: 2.10-3
Architecture: amd64
Maintainer: Santiago Vila <sanvila@debian.org>
Installed-Size: 280
Depends: libc6 (>= 2.34)
Priority: optional
Filename: pool/main/h/hello/hello_2.10-3_amd64.deb
Size: 53128
SHA256: ba2b4ba7b1d4e6b7e6b2a9c0d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2

`

// FuzzParsePackages: a Packages index never panics the parser, and what
// parsing and the name checks accept cannot leave the archive's pool/
// or name a file outside the root: the name is a policy name, the
// Filename a clean relative path under pool/.
func FuzzParsePackages(f *testing.F) {
	f.Add([]byte(packagesSeed))
	f.Add([]byte(strings.Replace(packagesSeed, "Package: hello", "Package: ../x", 1)))
	f.Add([]byte(strings.Replace(packagesSeed, "pool/main", "pool/../../etc", 1)))
	f.Add([]byte(packagesSeed + " continuation\n#comment\nno colon\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := parsePackages(bytes.NewReader(data))
		if err != nil || checkPackages(pkgs) != nil {
			return
		}
		for _, p := range pkgs {
			if !validPackageName(p.Name) || strings.ContainsAny(p.Name, "/\x00") {
				t.Fatalf("accepted package name %q", p.Name)
			}
			if !strings.HasPrefix(p.Filename, "pool/") || path.Clean(p.Filename) != p.Filename ||
				strings.Contains("/"+p.Filename+"/", "/../") || len(p.SHA256) != 64 || p.Size < 0 {
				t.Fatalf("accepted %+v", p)
			}
		}
	})
}
