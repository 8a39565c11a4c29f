package builder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chrootbuild/chrootbuild/boot"
)

// Boot boots the root archive of a build's result in QEMU, writes the
// report to opt.Log and saves it in the result's output folder
// (boot.ReportName), with the archive's digest, for the publish gate.
// opt.Image is ignored. An error means the VM could not be run; a boot
// whose checks failed returns its report and no error.
func Boot(ctx context.Context, res *Result, opt boot.Options) (*boot.Report, error) {
	a, ok := res.RootArchive()
	if !ok {
		return nil, fmt.Errorf("booting %s: the build has no root archive (a tar output, plain, gzip or zstd) to boot", res.OutDir)
	}
	opt.Image = a.Path
	r, err := boot.Run(ctx, opt)
	if err != nil {
		return nil, err
	}
	r.Digest = a.Digest
	if !opt.Keep && opt.Log != nil { // with Keep, boot wrote it before waiting
		r.Write(opt.Log)
	}
	if err := r.Save(filepath.Join(res.OutDir, boot.ReportName)); err != nil {
		return r, err
	}
	return r, nil
}

// BootPath boots what path names: a build's output folder (its root
// archive, through Boot, the report saved there), or a root tar or root
// folder (the report only written to opt.Log).
func BootPath(ctx context.Context, path string, opt boot.Options) (*boot.Report, error) {
	res, err := LoadResult(path)
	if err == nil {
		return Boot(ctx, res, opt)
	}
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() && !errors.Is(err, os.ErrNotExist) {
		return nil, err // a damaged build result
	}
	opt.Image = path
	r, err := boot.Run(ctx, opt)
	if err == nil && !opt.Keep && opt.Log != nil {
		r.Write(opt.Log)
	}
	return r, err
}
