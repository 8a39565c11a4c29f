package builder

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/boot"
)

// bootGate refuses to publish an image that has not been proven to boot:
// no boot report in its output folder, a report of another image (its
// digest differs from the root archive's), or a failed one; force lets
// each through.
func bootGate(res *Result, force bool) error {
	if force {
		return nil
	}
	r, err := boot.Load(filepath.Join(res.OutDir, boot.ReportName))
	if err != nil {
		return fmt.Errorf("refusing to publish: %s has no boot report (%v); boot it first (build --boot, or chrootbuild boot %s) or use --force",
			res.OutDir, err, res.OutDir)
	}
	if a, ok := res.RootArchive(); ok && r.Digest != a.Digest {
		return fmt.Errorf("refusing to publish: the boot report in %s is of another image (sha256 %s, the build's %s is %s); boot it again or use --force",
			res.OutDir, short(r.Digest), filepath.Base(a.Path), short(a.Digest))
	}
	if r.Passed {
		return nil
	}
	var failed []string
	for _, c := range r.Failed() {
		failed = append(failed, c.Name)
	}
	return fmt.Errorf("refusing to publish: the last boot check of %s failed (%s); fix the image or use --force",
		res.OutDir, strings.Join(failed, "; "))
}

func short(sum string) string {
	if sum == "" {
		return "unknown"
	}
	return sum[:min(12, len(sum))]
}
