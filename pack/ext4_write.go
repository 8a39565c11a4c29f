package pack

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Ext4Options configure WriteExt4.
type Ext4Options struct {
	Size  int64 // bytes; 0 sizes the image to the root
	Label string
	Log   io.Writer
	// Device is set when out is a block device: its size is used and the
	// file is not truncated.
	Device bool
}

// WriteExt4 makes an ext4 file system holding root at out (a file, or a
// block device) with mke2fs -d, without mounting anything. The result is
// reproducible: the UUID and directory hash seed derive from the root's
// content and the size, mke2fs runs with E2FSPROGS_FAKE_TIME (from
// SOURCE_DATE_EPOCH, else the newest mtime), and debugfs sets every
// inode's atime and ctime, which mke2fs copies from the host, to its
// (clamped) mtime.
func WriteExt4(ctx context.Context, root, out string, o Ext4Options) error {
	mke2fs, err := hostTool("mke2fs", "e2fsprogs")
	if err != nil {
		return err
	}
	debugfs, err := hostTool("debugfs", "e2fsprogs")
	if err != nil {
		return err
	}
	c, err := clampFromEnv()
	if err != nil {
		return err
	}
	plan, err := planFS(ctx, root, c)
	if err != nil {
		return err
	}
	size, err := ext4Size(plan, o.Size)
	if err != nil {
		return err
	}
	fp, err := fingerprint(ctx, root)
	if err != nil {
		return fmt.Errorf("fingerprinting %s: %w", root, err)
	}
	if !o.Device {
		if err := os.Truncate(out, size); err != nil {
			return fmt.Errorf("sizing %s: %w", out, err)
		}
	}
	fakeTime := plan.Newest
	if c.set {
		fakeTime = c.epoch
	}
	env := toolEnv("E2FSPROGS_FAKE_TIME=" + strconv.FormatInt(fakeTime, 10))
	args := mke2fsArgs(root, out, o, plan, size, fp)
	if err := runTool(ctx, env, nil, mke2fs, args...); err != nil {
		return explainNoSpace(err, plan, size)
	}
	if len(plan.Skipped) > 0 && o.Log != nil {
		fmt.Fprintf(o.Log, "ext4: %d names hold a newline; their atime and ctime are the host's\n", len(plan.Skipped))
	}
	return runTool(ctx, env, strings.NewReader(plan.Script.String()), debugfs, "-w", "-f", "-", out)
}

// ext4Size picks the image size: the given one when it holds the root,
// else the automatic one.
func ext4Size(plan *fsPlan, given int64) (int64, error) {
	auto := plan.AutoSize()
	if given == 0 {
		return auto, nil
	}
	if need := plan.DataBytes + plan.Inodes*256; given < need {
		return 0, fmt.Errorf("size %d MiB is too small for the root, which needs about %d MiB", given>>20, auto>>20)
	}
	return given, nil
}

// mke2fsArgs builds mke2fs's arguments: 4 KiB blocks always, a fixed
// inode count when the size is automatic, UUID and hash seed from the
// fingerprint fp.
func mke2fsArgs(root, out string, o Ext4Options, plan *fsPlan, size int64, fp []byte) []string {
	seed := sha256.Sum256(append(append([]byte(nil), fp...), fmt.Sprintf("%d %q", size, o.Label)...))
	args := []string{"-q", "-F", "-t", "ext4", "-b", "4096", "-L", o.Label,
		"-U", uuidFrom(seed[:16]), "-E", "hash_seed=" + uuidFrom(seed[16:]), "-d", root}
	if o.Size == 0 && !o.Device {
		args = append(args, "-N", strconv.FormatInt(plan.inodeCount(), 10))
	}
	args = append(args, out)
	if !o.Device {
		args = append(args, strconv.FormatInt(size/1024, 10)+"k")
	}
	return args
}

func explainNoSpace(err error, plan *fsPlan, size int64) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not allocate block") || strings.Contains(msg, "No space left") {
		return fmt.Errorf("%w (the image of %d MiB is too small; the root holds about %d MiB)", err, size>>20, plan.DataBytes>>20)
	}
	return err
}
