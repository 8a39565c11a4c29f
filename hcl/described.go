package hcl

import (
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/chrootbuild/chrootbuild/arch"
	"github.com/chrootbuild/chrootbuild/dpkg"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/provision"
)

// describeOutputs tells the outputs that record their image (manifest)
// what it is.
func describeOutputs(img *Image) {
	info := pack.ImageInfo{Name: img.Name, Version: img.Version, Description: img.Description,
		Distribution: img.Bootstrap.Distribution, Suite: img.Bootstrap.Suite, Arch: img.Bootstrap.Arch}
	if info.Arch == "" {
		info.Arch = arch.Host().Debian // the bootstrap's default
	}
	for _, o := range img.Outputs {
		if d, ok := o.Output.(pack.Described); ok {
			d.Describe(info)
		}
	}
}

// packageDatabaseDiags refuses an output that reads the dpkg database
// when a remove step deletes it: the build could never write it.
func packageDatabaseDiags(img *Image) hcl.Diagnostics {
	var remover *Step
	var pattern string
	for i := range img.Steps {
		if r, ok := img.Steps[i].Step.(*provision.Remove); ok {
			for _, p := range r.Paths {
				if removesFile(p, "/"+dpkg.StatusFile) {
					remover, pattern = &img.Steps[i], p
				}
			}
		}
	}
	if remover == nil {
		return nil
	}
	var diags hcl.Diagnostics
	for _, o := range img.Outputs {
		if r, ok := o.Output.(pack.PackageReader); ok && r.ReadsPackages() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No package database for the " + o.Kind + " output",
				Detail: fmt.Sprintf("The %s output lists the packages of the image's dpkg database (/%s), which the remove step at %s deletes (%q).",
					o.Kind, dpkg.StatusFile, remover.Range, pattern),
				Subject: o.Range.Ptr()})
		}
	}
	return diags
}

// removesFile reports whether removing the glob pattern deletes file:
// the pattern matches the file or one of its folders.
func removesFile(pattern, file string) bool {
	pp := strings.Split(path.Clean(pattern), "/")
	fp := strings.Split(file, "/")
	if len(pp) > len(fp) {
		return false
	}
	for i, p := range pp {
		if ok, _ := path.Match(p, fp[i]); !ok {
			return false
		}
	}
	return true
}
