package pack

import (
	"context"
	"strconv"
)

// SquashfsOptions configure WriteSquashfs.
type SquashfsOptions struct {
	Compression string // none, gzip, xz, zstd, lz4
	Level       int    // 0: the compressor's default
}

// WriteSquashfs builds a squashfs image of root at out with mksquashfs.
// The image is reproducible: mksquashfs sorts entries itself, its creation
// time is SOURCE_DATE_EPOCH, or 0, and with SOURCE_DATE_EPOCH set every
// timestamp in it is that time (-all-time), as the reproducible-builds
// specification suggests for file systems. (Our clamped tar stream through
// mksquashfs -tar would keep older times, but squashfs-tools 4.5 gives the
// root folder the current time there and ignores -root-time, so two
// images made a second apart differed.)
func WriteSquashfs(ctx context.Context, root, out string, o SquashfsOptions) error {
	bin, err := hostTool("mksquashfs", "squashfs-tools")
	if err != nil {
		return err
	}
	c, err := clampFromEnv()
	if err != nil {
		return err
	}
	args := append([]string{root, out, "-noappend", "-no-progress", "-quiet", "-mkfs-time", strconv.FormatInt(c.epoch, 10)},
		squashfsCompression(o)...)
	if c.set {
		args = append(args, "-all-time", strconv.FormatInt(c.epoch, 10))
	}
	return runTool(ctx, toolEnv(), nil, bin, args...)
}

// squashfsCompression returns mksquashfs's compression options. "none"
// stores everything uncompressed, as the original images did.
func squashfsCompression(o SquashfsOptions) []string {
	if o.Compression == "none" || o.Compression == "" {
		return []string{"-noI", "-noD", "-noF", "-noX"}
	}
	args := []string{"-comp", o.Compression}
	if o.Level != 0 {
		args = append(args, "-Xcompression-level", strconv.Itoa(o.Level))
	}
	return args
}
