package oci

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func TestPlatformFromDpkg(t *testing.T) {
	for _, tc := range []struct {
		name          string
		facts         rootFacts
		want, wantErr string
	}{
		{"status", rootFacts{status: []byte("Package: libc6\nArchitecture: armhf\n\nPackage: dpkg\nArchitecture: arm64\n")}, "linux/arm64/v8", ""},
		{"status before arch file", rootFacts{status: []byte("Package: dpkg\nArchitecture: armhf\n"), arch: []byte("amd64\n")}, "linux/arm/v7", ""},
		{"arch file", rootFacts{arch: []byte("i386\namd64\n")}, "linux/386", ""},
		{"unknown", rootFacts{arch: []byte("vax\n")}, "", `unknown architecture "vax"`},
		{"nothing", rootFacts{}, "", "no dpkg status"},
		{"not elf", rootFacts{elf: []byte("#!/bin/sh\necho this is a script, not a binary at all\n")}, "", "not an elf file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.facts.platform()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || p.String() != tc.want {
				t.Fatalf("got %s, %v; want %s", p.String(), err, tc.want)
			}
		})
	}
}

// TestPlatformFromHostShell reads the host's own shell: its machine is the
// one this test binary runs on.
func TestPlatformFromHostShell(t *testing.T) {
	f, err := os.Open("/bin/sh")
	testenv.Need(t, err == nil, "/bin/sh")
	defer f.Close()
	p, err := rootFacts{elf: readHead(f)}.platform()
	if err != nil {
		t.Fatal(err)
	}
	// GOARCH names are the OCI architecture names.
	if p.Architecture != runtime.GOARCH {
		t.Errorf("host shell read as %s, the host is %s", p.Architecture, runtime.GOARCH)
	}
}

func TestTagRefs(t *testing.T) {
	created := time.Date(2024, 6, 1, 23, 59, 0, 0, time.UTC)
	for _, tc := range []struct {
		o             ReleaseOptions
		want, wantErr string
	}{
		{ReleaseOptions{Ref: "reg.example:5000/team/debian:12", Tags: []string{"bookworm", "12"}, Latest: true},
			"reg.example:5000/team/debian:12 reg.example:5000/team/debian:2024-06-01 reg.example:5000/team/debian:bookworm reg.example:5000/team/debian:latest", ""},
		{ReleaseOptions{Ref: "reg.example/debian:1.0"}, "reg.example/debian:1.0 reg.example/debian:2024-06-01", ""},
		{ReleaseOptions{Ref: "reg.example:5000/debian"}, "", "name the version tag"},
		{ReleaseOptions{Ref: "reg.example/Debian:1"}, "", "reference"},
		{ReleaseOptions{Ref: "reg.example/debian:1", Tags: []string{"bad tag"}}, "", `tag "bad tag"`},
	} {
		refs, err := tagRefs(tc.o, created)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want %q", tc.o.Ref, err, tc.wantErr)
			}
			continue
		}
		var got []string
		for _, r := range refs {
			got = append(got, r.String())
		}
		if strings.Join(got, " ") != tc.want || err != nil {
			t.Errorf("%s: got %v, %v; want %s", tc.o.Ref, got, err, tc.want)
		}
	}
}

func TestCreatedTime(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "86400")
	if c, err := createdTime(time.Time{}); err != nil || !c.Equal(time.Unix(86400, 0)) {
		t.Errorf("created %v, %v; want SOURCE_DATE_EPOCH", c, err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, err := createdTime(time.Time{}); err == nil {
		t.Error("a bad SOURCE_DATE_EPOCH was accepted")
	}
}

func TestDetectPlatformBadSource(t *testing.T) {
	dir := t.TempDir()
	notTar := dir + "/rootfs.sqsh"
	os.WriteFile(notTar, []byte("hsqs this is not a tar archive at all, it is far too short and wrong"), 0o644)
	for src, want := range map[string]string{notTar: "reading tar " + notTar, dir + "/missing": "no such file", dir: "no dpkg status"} {
		if _, err := DetectPlatform(src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DetectPlatform(%s): %v, want %q", src, err, want)
		}
	}
}
