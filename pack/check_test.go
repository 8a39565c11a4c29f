package pack

import (
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/check"
)

func TestKindsRegistered(t *testing.T) {
	want := "cpio device directory ext4 manifest squashfs tar"
	if got := strings.Join(Kinds(), " "); got != want {
		t.Fatalf("Kinds() = %q, want %q", got, want)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		out  Output
		attr string // "" when valid
	}{
		{"tar ok", &Tar{Path: "rootfs.tar", Compression: "zstd"}, ""},
		{"tar abs path", &Tar{Path: "/rootfs.tar", Compression: "none"}, "path"},
		{"tar dotdot", &Tar{Path: "../rootfs.tar", Compression: "none"}, "path"},
		{"tar lz4", &Tar{Path: "r.tar", Compression: "lz4"}, "compression"},
		{"squashfs zstd 22", &Squashfs{Path: "r.sqsh", Compression: "zstd", Level: 22}, ""},
		{"squashfs zstd 23", &Squashfs{Path: "r.sqsh", Compression: "zstd", Level: 23}, "level"},
		{"squashfs gzip 10", &Squashfs{Path: "r.sqsh", Compression: "gzip", Level: 10}, "level"},
		{"squashfs xz level", &Squashfs{Path: "r.sqsh", Compression: "xz", Level: 3}, "level"},
		{"squashfs bad", &Squashfs{Path: "r.sqsh", Compression: "lzma"}, "compression"},
		{"cpio xz", &Cpio{Path: "i.img", Compression: "xz"}, "compression"},
		{"cpio gzip", &Cpio{Path: "i.img", Compression: "gzip"}, ""},
		{"ext4 auto", &Ext4{Path: "r.ext4", Size: "auto", Label: "root"}, ""},
		{"ext4 2G", &Ext4{Path: "r.ext4", Size: "2G"}, ""},
		{"ext4 2GiB", &Ext4{Path: "r.ext4", Size: "2GiB"}, ""},
		{"ext4 bad size", &Ext4{Path: "r.ext4", Size: "2 gigs"}, "size"},
		{"ext4 tiny", &Ext4{Path: "r.ext4", Size: "512K"}, "size"},
		{"ext4 label", &Ext4{Path: "r.ext4", Size: "auto", Label: "seventeen-bytes-x"}, "label"},
		{"directory", &Directory{Path: "rootfs"}, ""},
		{"directory empty", &Directory{}, "path"},
		{"directory dot", &Directory{Path: "."}, "path"},
		{"tar dot slash", &Tar{Path: "out/..", Compression: "none"}, "path"},
		{"tar trailing slash", &Tar{Path: "out/", Compression: "none"}, "path"},
		{"device dev", &Device{Target: "/dev/sdb"}, ""},
		{"device nbd", &Device{Target: "nbd://10.0.0.1:10809/disk"}, ""},
		{"device nbd ipv6", &Device{Target: "nbd://[::1]:10809"}, ""},
		{"device nbd no port", &Device{Target: "nbd://host/disk"}, "target"},
		{"device file", &Device{Target: "/tmp/disk.img"}, "target"},
		{"device relative", &Device{Target: "sdb"}, "target"},
		{"device unclean", &Device{Target: "/dev/../etc/passwd"}, "target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.out.Check()
			if tt.attr == "" {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			fes := check.Fields(err)
			if len(fes) != 1 || fes[0].Attr != tt.attr {
				t.Fatalf("Check() = %v, want one error on %q", err, tt.attr)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"auto": 0, "2G": 2 << 30, "512M": 512 << 20, "1048576": 1 << 20, "3GiB": 3 << 30, "1T": 1 << 40} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1G", "2g", "1.5G", "99999999999999999999", "9999999999T"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded, want an error", in)
		}
	}
}
