package pack

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
)

// levelRange is the [min, max] level mksquashfs accepts per compressor;
// compressors absent here take no level.
var levelRange = map[string][2]int{
	"gzip": {1, 9},
	"zstd": {1, 22},
}

// checkLevel checks a squashfs compression level; 0 means the
// compressor's default.
func checkLevel(attr, compression string, level int) error {
	if level == 0 {
		return nil
	}
	r, ok := levelRange[compression]
	if !ok {
		return check.Fieldf(attr, "compression %q takes no level (leave level unset)", compression)
	}
	if level < r[0] || level > r[1] {
		return check.Fieldf(attr, "level %d is out of range for %s (%d to %d)", level, compression, r[0], r[1])
	}
	return nil
}

// checkOutPath checks an output's path: relative, staying inside the
// output folder, and naming something in it rather than the folder itself.
func checkOutPath(attr, p string) error {
	if err := check.RelPath(attr, p); err != nil {
		return err
	}
	if clean := path.Clean(p); clean == "." || strings.HasSuffix(p, "/") {
		return check.Fieldf(attr, "path %q must name a file or folder inside the output folder", p)
	}
	return nil
}

var sizeRE = regexp.MustCompile(`^([0-9]+)([KMGT]?)(i?B)?$`)

// MinImageSize is the smallest ext4 image mke2fs is asked to make.
const MinImageSize = 1 << 20

// ParseSize parses an image size: "auto" (returns 0), a byte count, or a
// count with a binary suffix K, M, G or T ("512M", "2G", "2GiB").
func ParseSize(s string) (int64, error) {
	if s == "auto" {
		return 0, nil
	}
	m := sizeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("size %q is not \"auto\" or a number with an optional K, M, G or T suffix (like 2G)", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	shift := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m[2]]
	if n > (1<<62)>>shift {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	n <<= shift
	if n < MinImageSize {
		return 0, fmt.Errorf("size %q is below the minimum of 1M", s)
	}
	return n, nil
}
