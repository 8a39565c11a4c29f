package debootstrap

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// removeRoot deletes a half-built root (only its contents when the folder
// was there before). It refuses while anything is mounted below it: a
// recursive delete through a bind mount would reach the host.
func removeRoot(dir string, created bool) error {
	if m := mountsBelow(dir); len(m) > 0 {
		return fmt.Errorf("leaving half-built root %s in place: still mounted: %s", dir, strings.Join(m, ", "))
	}
	if created {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("removing half-built root %s: %w", dir, err)
		}
		return nil
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("removing half-built root %s: %w", dir, err)
		}
	}
	return nil
}

// mountsBelow lists the mount points at or under dir in this mount
// namespace.
func mountsBelow(dir string) []string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if mp == abs || strings.HasPrefix(mp, abs+"/") {
			out = append(out, mp)
		}
	}
	return out
}

func unescapeMount(s string) string {
	return strings.NewReplacer(`\040`, " ", `\011`, "\t", `\012`, "\n", `\134`, `\`).Replace(s)
}

// unpackJobs is how many packages are unpacked at once: decompression is
// CPU bound, so one per core.
func unpackJobs() []struct{} {
	return make([]struct{}, max(1, runtime.NumCPU()))
}

// cpuTimes formats the CPU seconds used by this process and by its
// finished children.
func cpuTimes() string {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	sec := func(r syscall.Rusage) float64 {
		return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
	}
	return fmt.Sprintf("%.1fs+%.1fs", sec(self), sec(kids))
}

// syncRoot makes the finished root durable with one syncfs, in place of
// the fsync calls dpkg was kept from making.
func syncRoot(dir string) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	defer unix.Close(fd)
	if err := unix.Syncfs(fd); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
