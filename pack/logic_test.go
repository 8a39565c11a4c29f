package pack

import (
	"reflect"
	"strings"
	"testing"
)

func TestAutoSize(t *testing.T) {
	for _, tc := range []struct {
		data, inodes int64
		min, max     int64
	}{
		{0, 10, 16 << 20, 64 << 20},
		{100 << 20, 5000, 130 << 20, 180 << 20},
		{2 << 30, 60000, 2400 << 20, 2700 << 20},
	} {
		p := &fsPlan{DataBytes: tc.data, Inodes: tc.inodes}
		got := p.AutoSize()
		if got < tc.min || got > tc.max || got%(4<<20) != 0 {
			t.Errorf("AutoSize(data %d MiB, %d inodes) = %d MiB, want %d..%d MiB in 4 MiB steps",
				tc.data>>20, tc.inodes, got>>20, tc.min>>20, tc.max>>20)
		}
	}
}

func TestUUIDFrom(t *testing.T) {
	d := make([]byte, 32)
	for i := range d {
		d[i] = 0xff
	}
	if got := uuidFrom(d); got != "ffffffff-ffff-8fff-bfff-ffffffffffff" {
		t.Errorf("uuidFrom = %s, want a version 8 variant 10 UUID", got)
	}
}

func TestMke2fsArgs(t *testing.T) {
	p := &fsPlan{DataBytes: 10 << 20, Inodes: 100}
	fp := make([]byte, 32)
	auto := strings.Join(mke2fsArgs("/r", "/o.img", Ext4Options{Label: "root"}, p, 64<<20, fp), " ")
	for _, want := range []string{"-t ext4", "-b 4096", "-L root", "-d /r", "-N 1144", "/o.img 65536k", "-E hash_seed="} {
		if !strings.Contains(auto, want) {
			t.Errorf("auto-size args %q lack %q", auto, want)
		}
	}
	dev := strings.Join(mke2fsArgs("/r", "/dev/loop0", Ext4Options{Label: "root", Size: 1 << 30, Device: true}, p, 1<<30, fp), " ")
	if strings.Contains(dev, "-N") || !strings.HasSuffix(dev, "/dev/loop0") {
		t.Errorf("device args %q: want no -N and the device last, with no size", dev)
	}
	other := strings.Join(mke2fsArgs("/r", "/o.img", Ext4Options{Label: "other"}, p, 64<<20, fp), " ")
	if uuid := func(s string) string { return strings.Fields(s[strings.Index(s, "-U "):])[1] }; uuid(auto) == uuid(other) {
		t.Errorf("another label kept the UUID %s", uuid(auto))
	}
}

func TestNewFileCompressionFromName(t *testing.T) {
	for _, tc := range []struct{ kind, name, want string }{
		{"tar", "rootfs.tar.zst", "zstd"}, {"tar", "r.tgz", "gzip"}, {"tar", "r.tar.xz", "xz"},
		{"tar", "r.tar", "none"}, {"cpio", "initrd.cpio.gz", "gzip"}, {"squashfs", "r.sqsh.gz", "none"},
	} {
		f, err := NewFile(tc.kind, tc.name, FileOptions{})
		if err != nil {
			t.Errorf("NewFile(%s, %s): %v", tc.kind, tc.name, err)
			continue
		}
		if got := reflectField(f, "Compression"); got != tc.want {
			t.Errorf("NewFile(%s, %s) compression = %s, want %s", tc.kind, tc.name, got, tc.want)
		}
	}
	if _, err := NewFile("cpio", "initrd.cpio.xz", FileOptions{}); err == nil {
		t.Error("NewFile accepted xz for cpio")
	}
	if _, err := NewFile("directory", "rootfs", FileOptions{}); err == nil || !strings.Contains(err.Error(), strings.Join(FileKinds(), ", ")) {
		t.Errorf("NewFile of a folder kind: %v", err)
	}
}

func reflectField(v any, name string) string {
	return reflect.ValueOf(v).Elem().FieldByName(name).String()
}

func TestAddTimesQuotes(t *testing.T) {
	p := &fsPlan{}
	p.addTimes(`./a "b"`, 5, true)
	p.addTimes("./bad\nname", 5, false)
	p.addTimes(".", 7, false)
	want := "sif \"/a \"\"b\"\"\" atime @5\nsif \"/a \"\"b\"\"\" ctime @5\nsif \"/a \"\"b\"\"\" mtime @5\n" +
		"sif \"/\" atime @7\nsif \"/\" ctime @7\n"
	if got := p.Script.String(); got != want {
		t.Errorf("script:\n%s\nwant:\n%s", got, want)
	}
	if len(p.Skipped) != 1 {
		t.Errorf("Skipped = %q, want the name with a newline", p.Skipped)
	}
}
