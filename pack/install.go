package pack

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chrootbuild/chrootbuild/pack/nbd"
)

// InstallOptions configure Install.
type InstallOptions struct {
	Yes   bool      // do not ask before erasing a block device
	Label string    // file-system label; "rootfs" when empty
	Log   io.Writer // progress; may be nil
	// Confirm asks the user whether to erase the device; nil means there
	// is no terminal to ask on, so Yes is required.
	Confirm func(prompt string) bool
	// TempDir holds the extracted tar and the NBD image ("" = /var/tmp).
	TempDir string
	// Timeout bounds each NBD handshake step and reply (0: 30 s).
	Timeout time.Duration
}

// Install writes src (a root folder or a tar of one) to target as an ext4
// file system: a block device under /dev/, formatted and filled in place,
// or an NBD export nbd://host:port[/export], where an image the size of
// the export is built in a sparse temporary file and streamed through our
// userspace NBD client.
func Install(ctx context.Context, src, target string, o InstallOptions) error {
	if err := CheckTarget(target); err != nil {
		return err
	}
	if o.Label == "" {
		o.Label = "rootfs"
	}
	if o.TempDir == "" {
		o.TempDir = "/var/tmp"
	}
	root, cleanup, err := rootOf(ctx, src, o.TempDir)
	if err != nil {
		return err
	}
	defer cleanup()
	if strings.HasPrefix(target, "nbd://") {
		return installNBD(ctx, root, target, o)
	}
	return installDevice(ctx, root, target, o)
}

// rootOf returns a folder holding the root: src itself, or src (a tar,
// possibly compressed) extracted by GNU tar into a temporary folder.
func rootOf(ctx context.Context, src, tmpDir string) (string, func(), error) {
	fi, err := os.Stat(src)
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", src, err)
	}
	if fi.IsDir() {
		return src, func() {}, nil
	}
	tar, err := hostTool("tar", "tar")
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp(tmpDir, "chrootbuild-install-")
	if err != nil {
		return "", nil, fmt.Errorf("creating a folder to extract %s: %w", src, err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		cleanup()
		return "", nil, err
	}
	err = runTool(ctx, nil, nil, tar, "-C", root, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", src)
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("extracting %s: %w", src, err)
	}
	return root, cleanup, nil
}

// installNBD builds the image in a sparse file the size of the export and
// streams it there.
func installNBD(ctx context.Context, root, target string, o InstallOptions) error {
	addr, export, err := nbd.ParseURL(target)
	if err != nil {
		return err
	}
	c, err := nbd.DialTimeout(ctx, addr, export, o.Timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	if c.Flags&nbd.FlagReadOnly != 0 {
		return fmt.Errorf("installing on %s: the export is read-only", target)
	}
	size, err := exportFits(ctx, root, target, c.Size)
	if err != nil {
		return err
	}
	img, err := os.CreateTemp(o.TempDir, "chrootbuild-nbd-*.ext4")
	if err != nil {
		return fmt.Errorf("creating temporary image: %w", err)
	}
	defer os.Remove(img.Name())
	defer img.Close()
	logf(o.Log, "building a %d MiB ext4 image for %s\n", size>>20, target)
	if err := WriteExt4(ctx, root, img.Name(), Ext4Options{Size: size, Label: o.Label, Log: o.Log}); err != nil {
		return fmt.Errorf("building the image for %s: %w", target, err)
	}
	logf(o.Log, "writing the image to %s\n", target)
	if err := c.CopyFile(ctx, img, size); err != nil {
		return fmt.Errorf("writing to %s: %w", target, err)
	}
	if err := c.Close(); err != nil {
		return fmt.Errorf("disconnecting from %s: %w", target, err)
	}
	return nil
}

// minExt4 is the smallest ext4 image mke2fs makes with a journal.
const minExt4 = 4 << 20

// exportFits returns the image size for an export of exportSize bytes (a
// whole number of 4 KiB blocks), or an error naming both sizes when the
// export cannot hold the root.
func exportFits(ctx context.Context, root, target string, exportSize uint64) (int64, error) {
	c, err := clampFromEnv()
	if err != nil {
		return 0, err
	}
	plan, err := planFS(ctx, root, c)
	if err != nil {
		return 0, err
	}
	need := max(plan.DataBytes+plan.Inodes*256, minExt4)
	size := int64(min(exportSize, 1<<62)) / 4096 * 4096
	if size < need {
		return 0, fmt.Errorf("installing on %s: the export holds %d bytes, too small for the image, which needs at least %d bytes (%d MiB)",
			target, exportSize, need, (need+1<<20-1)>>20)
	}
	return size, nil
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}
