package builder

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/chrootbuild/chrootbuild/boot"
	"github.com/chrootbuild/chrootbuild/hcl"
)

// PipelineOptions say what follows the build.
type PipelineOptions struct {
	Build   Options
	Boot    *boot.Options   // nil: no boot check; its Image and CacheDir come from the build
	Publish *PublishOptions // nil: nothing published or released
}

// ErrBootFailed is returned (wrapped) by Pipeline when the image's boot
// checks failed and publishing was not forced.
var ErrBootFailed = errors.New("the boot check failed")

// Pipeline is the whole sequence of `chrootbuild build`: build the image,
// boot its root archive and save the report beside it (opt.Boot), then
// publish its files to S3 and release its root archive to a registry
// (opt.Publish), behind the boot gate. A failed boot stops there unless
// publishing is forced; the result and report are returned as far as
// they got.
func Pipeline(ctx context.Context, img *hcl.Image, opt PipelineOptions) (*Result, *boot.Report, error) {
	res, err := Build(ctx, img, opt.Build)
	if err != nil {
		return nil, nil, err
	}
	var report *boot.Report
	if opt.Boot != nil {
		bo := *opt.Boot
		bo.CacheDir = opt.Build.CacheDir
		if bo.Log == nil {
			bo.Log = opt.Build.Log
		}
		if report, err = Boot(ctx, res, bo); err != nil {
			return res, report, err
		}
		if !report.Passed {
			if opt.Publish == nil || !opt.Publish.Force {
				return res, report, fmt.Errorf("booting %s: %w (%d check(s))", img.Name, ErrBootFailed, len(report.Failed()))
			}
			logLine(bo.Log, "warning: the boot check failed; publishing anyway (--force)")
		}
	}
	if opt.Publish != nil {
		if err := Publish(ctx, img, res, *opt.Publish); err != nil {
			return res, report, err
		}
	}
	return res, report, nil
}

func logLine(w io.Writer, s string) {
	if w != nil {
		fmt.Fprintln(w, s)
	}
}
