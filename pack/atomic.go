package pack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// outFile is an output file under its temporary name. Bytes written through
// Write are hashed as they pass; tools that write the file by name (mksquashfs,
// mke2fs) leave the hash to be computed from the finished file.
type outFile struct {
	*os.File
	pipe *pipeWriter
}

// Write queues p for the file and the hash.
func (f *outFile) Write(p []byte) (int, error) { return f.pipe.Write(p) }

// writeFile runs fill on a temporary file beside rel (relative to env.OutDir
// unless absolute), then syncs it, writes rel.sha256 and renames both into
// place. On any error or cancellation the temporary file is removed, so no
// file ever appears under the output's name unless it is complete.
func writeFile(ctx context.Context, env *Env, rel string, fill func(context.Context, *outFile) error) (err error) {
	final := rel
	if !filepath.IsAbs(final) {
		final = filepath.Join(env.OutDir, rel)
	}
	dir, base := filepath.Split(final)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating output folder %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating temporary file for %s: %w", final, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	f := &outFile{File: tmp, pipe: newPipeWriter(tmp, h)}
	stopWriteback := startWriteback(tmp)
	ferr := fill(ctx, f)
	stopWriteback()
	if cerr := f.pipe.Close(); ferr == nil {
		ferr = cerr
	}
	if ferr != nil {
		return fmt.Errorf("writing %s: %w", final, ferr)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("writing %s: %w", final, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if f.pipe.n == 0 {
		// A tool wrote the file: hash it while its data goes to disk.
		synced := make(chan error, 1)
		go func() { synced <- tmp.Sync() }()
		sum, err = filehash.Sum(tmp.Name())
		if serr := <-synced; err == nil && serr != nil {
			return fmt.Errorf("syncing %s: %w", tmp.Name(), serr)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", final, err)
		}
	}
	return commitFile(tmp, final, sum)
}

// commitFile makes tmp permanent under final, with final.sha256 beside it.
func commitFile(tmp *os.File, final, sum string) error {
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("setting mode of %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	if err := filehash.WriteSidecar(final, sum); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(filehash.SidecarName(final))
		return fmt.Errorf("renaming %s to %s: %w", tmp.Name(), final, err)
	}
	return nil
}
