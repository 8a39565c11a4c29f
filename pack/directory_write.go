package pack

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// writeDirectory copies root to rel (relative to env.OutDir) through our
// tar stream and GNU tar, which restores owners, modes, xattrs, hard
// links, devices and fifos, into a temporary folder beside it; the folder
// takes the output's name (exchanged atomically with an older one) only
// when complete.
func writeDirectory(ctx context.Context, env *Env, rel string) (err error) {
	tarBin, err := hostTool("tar", "tar")
	if err != nil {
		return err
	}
	final := filepath.Join(env.OutDir, rel)
	dir, base := filepath.Split(final)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating output folder %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("creating temporary folder for %s: %w", final, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := copyTree(ctx, env.RootDir, tmp, tarBin); err != nil {
		return fmt.Errorf("copying %s to %s: %w", env.RootDir, final, err)
	}
	return replaceDir(tmp, final)
}

func copyTree(ctx context.Context, src, dst, tarBin string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		err := WriteTar(ctx, src, pw, TarOptions{})
		pw.CloseWithError(err)
		errc <- err
	}()
	err := runTool(ctx, nil, pr, tarBin, "-C", dst, "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", "-")
	pr.CloseWithError(io.ErrClosedPipe)
	if terr := <-errc; err == nil && terr != nil {
		return terr
	}
	return err
}

// replaceDir puts tmp under final: a plain rename when final does not
// exist, else an atomic exchange followed by removing the old tree.
func replaceDir(tmp, final string) error {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, final, unix.RENAME_NOREPLACE)
	if err == nil {
		return nil
	}
	if err != unix.EEXIST {
		return fmt.Errorf("renaming %s to %s: %w", tmp, final, err)
	}
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, final, unix.RENAME_EXCHANGE); err != nil {
		return fmt.Errorf("replacing %s: %w", final, err)
	}
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("removing the previous %s: %w", final, err)
	}
	return nil
}
