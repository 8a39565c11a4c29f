package debootstrap

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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
