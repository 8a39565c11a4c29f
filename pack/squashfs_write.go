package pack

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/sys/unix"
)

// SquashfsOptions configure WriteSquashfs.
type SquashfsOptions struct {
	Compression string // none, gzip, xz, zstd, lz4
	Level       int    // 0: the compressor's default
}

// WriteSquashfs builds a squashfs image of root at out with mksquashfs.
// The image is reproducible: mksquashfs sorts entries itself and its
// creation time is SOURCE_DATE_EPOCH, or 0. When SOURCE_DATE_EPOCH is set,
// mksquashfs reads our tar stream (-tar), whose mtimes are clamped to it,
// so the root is never touched; otherwise it reads the folder, which is
// faster.
func WriteSquashfs(ctx context.Context, root, out string, o SquashfsOptions) error {
	bin, err := hostTool("mksquashfs", "squashfs-tools")
	if err != nil {
		return err
	}
	c, err := clampFromEnv()
	if err != nil {
		return err
	}
	args := append([]string{out, "-noappend", "-no-progress", "-quiet", "-mkfs-time", strconv.FormatInt(c.epoch, 10)},
		squashfsCompression(o)...)
	if !c.set {
		return runTool(ctx, toolEnv(), nil, bin, append([]string{root}, args...)...)
	}
	var st unix.Stat_t
	if err := unix.Stat(root, &st); err != nil {
		return fmt.Errorf("reading %s: %w", root, err)
	}
	args = append([]string{"-"}, append(args, "-tar",
		"-root-time", strconv.FormatInt(c.seconds(int64(st.Mtim.Sec)), 10),
		"-root-mode", strconv.FormatUint(uint64(st.Mode&0o7777), 8),
		"-root-uid", strconv.FormatUint(uint64(st.Uid), 10),
		"-root-gid", strconv.FormatUint(uint64(st.Gid), 10))...)
	return squashfsFromTar(ctx, root, bin, args)
}

// squashfsFromTar pipes our tar stream of root into mksquashfs -tar.
func squashfsFromTar(ctx context.Context, root, bin string, args []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		err := WriteTar(ctx, root, pw, TarOptions{})
		pw.CloseWithError(err)
		errc <- err
	}()
	err := runTool(ctx, toolEnv(), pr, bin, args...)
	// Unblock the tar writer when mksquashfs stopped reading early.
	pr.CloseWithError(io.ErrClosedPipe)
	terr := <-errc
	if err != nil {
		return err
	}
	if terr != nil {
		return fmt.Errorf("streaming %s to mksquashfs: %w", root, terr)
	}
	return nil
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
