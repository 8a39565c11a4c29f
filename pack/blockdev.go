package pack

import (
	"context"
	"errors"
	"fmt"
)

// installDevice formats a block device as ext4 and fills it with root
// (mke2fs -d straight onto the device), after refusing a device that is
// in use or too small and asking for confirmation.
func installDevice(ctx context.Context, root, dev string, o InstallOptions) error {
	info, err := inspectDevice(dev)
	if err != nil {
		return err
	}
	if err := info.inUse(); err != nil {
		return fmt.Errorf("refusing to install on %s: %w", dev, err)
	}
	c, err := clampFromEnv()
	if err != nil {
		return err
	}
	plan, err := planFS(ctx, root, c)
	if err != nil {
		return err
	}
	if need := plan.AutoSize(); info.Size < need {
		return fmt.Errorf("refusing to install on %s: it holds %d MiB, the image needs %d MiB", dev, info.Size>>20, need>>20)
	}
	if !o.Yes {
		if o.Confirm == nil {
			return fmt.Errorf("refusing to erase %s without --yes (no terminal to confirm on)", dev)
		}
		prompt := fmt.Sprintf("This erases everything on %s (%d MiB). Continue?", dev, info.Size>>20)
		if !o.Confirm(prompt) {
			return errors.New("installation cancelled")
		}
	}
	logf(o.Log, "formatting %s and copying the root\n", dev)
	if err := WriteExt4(ctx, root, dev, Ext4Options{Size: info.Size, Label: o.Label, Log: o.Log, Device: true}); err != nil {
		return fmt.Errorf("installing on %s: %w", dev, err)
	}
	return syncDevice(dev)
}
