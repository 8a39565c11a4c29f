package pack

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// deviceInfo is what the safety checks need to know about a block device.
type deviceInfo struct {
	Path string
	Size int64
	Devs map[uint64]bool // the device and its partitions
	Sys  string          // /sys/dev/block/MAJ:MIN
}

func inspectDevice(path string) (*deviceInfo, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFBLK {
		return nil, fmt.Errorf("%s is not a block device", path)
	}
	d := &deviceInfo{Path: path, Devs: map[uint64]bool{st.Rdev: true},
		Sys: fmt.Sprintf("/sys/dev/block/%d:%d", unix.Major(st.Rdev), unix.Minor(st.Rdev))}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	size, err := unix.IoctlGetUint64(int(f.Fd()), unix.BLKGETSIZE64)
	if err != nil {
		return nil, fmt.Errorf("reading the size of %s: %w", path, err)
	}
	d.Size = int64(size)
	parts, _ := filepath.Glob(d.Sys + "/*/partition")
	for _, p := range parts {
		if dev, ok := readDevNumber(filepath.Join(filepath.Dir(p), "dev")); ok {
			d.Devs[dev] = true
		}
	}
	return d, nil
}

func readDevNumber(file string) (uint64, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	var maj, min uint32
	if _, err := fmt.Sscanf(strings.TrimSpace(string(b)), "%d:%d", &maj, &min); err != nil {
		return 0, false
	}
	return unix.Mkdev(maj, min), true
}

// inUse says why the device must not be written: mounted (the host's root
// included), used as swap, or held by device mapper, md or LVM.
func (d *deviceInfo) inUse() error {
	if m, err := d.mountedAt(); err != nil || m != "" {
		if err != nil {
			return err
		}
		return fmt.Errorf("it is mounted on %s", m)
	}
	if err := d.swapped(); err != nil {
		return err
	}
	holders, _ := filepath.Glob(d.Sys + "/holders/*")
	more, _ := filepath.Glob(d.Sys + "/*/holders/*")
	if h := append(holders, more...); len(h) > 0 {
		return fmt.Errorf("it is in use by %s (device mapper, LVM or RAID)", filepath.Base(h[0]))
	}
	return nil
}

// mountedAt returns where the device or one of its partitions is mounted.
func (d *deviceInfo) mountedAt() (string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", fmt.Errorf("reading mounts: %w", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) < 10 {
			continue
		}
		var maj, min uint32
		fmt.Sscanf(fields[2], "%d:%d", &maj, &min)
		src := ""
		for i, f := range fields {
			if f == "-" && i+2 < len(fields) {
				src = fields[i+2]
			}
		}
		if d.Devs[unix.Mkdev(maj, min)] || d.isDev(src) {
			return unescapeMount(fields[4]), nil
		}
	}
	return "", s.Err()
}

// isDev reports whether path names the device or one of its partitions.
func (d *deviceInfo) isDev(path string) bool {
	var st unix.Stat_t
	if !strings.HasPrefix(path, "/") || unix.Stat(path, &st) != nil {
		return false
	}
	return st.Mode&unix.S_IFMT == unix.S_IFBLK && d.Devs[st.Rdev]
}

func (d *deviceInfo) swapped() error {
	b, err := os.ReadFile("/proc/swaps")
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("reading /proc/swaps: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n")[1:] {
		if f := strings.Fields(line); len(f) > 0 && d.isDev(unescapeMount(f[0])) {
			return fmt.Errorf("it is used as swap (%s)", f[0])
		}
	}
	return nil
}

// unescapeMount undoes the octal escapes of /proc mount tables.
func unescapeMount(s string) string {
	r := strings.NewReplacer(`\040`, " ", `\011`, "\t", `\012`, "\n", `\134`, `\`)
	return r.Replace(s)
}

// syncDevice flushes the device's buffers to the hardware.
func syncDevice(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("opening %s to sync it: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	return nil
}
