package builder

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
	"github.com/chrootbuild/chrootbuild/pack"
)

// Result is what a build produced: every output with what it is. Boot,
// publish and release read it, never the definition's outputs or file
// names. Build saves it in the output folder as ResultName.
type Result struct {
	Image   string     `json:"image"`
	Version string     `json:"version,omitempty"`
	OutDir  string     `json:"-"` // absolute; where the result was loaded from
	Outputs []Artifact `json:"outputs"`
	Summary *Summary   `json:"-"` // the phases' times; not saved
}

// Artifact is one output of a build.
type Artifact struct {
	Kind    string       `json:"kind"`
	Path    string       `json:"path"`             // the file or folder on the host; a device's target
	Digest  string       `json:"digest,omitempty"` // a file's SHA-256, in hex
	Product pack.Product `json:"product"`
}

// ResultName is the file, in a build's output folder, that holds its
// Result.
const ResultName = "build-result.json"

// IsFile reports whether the artifact is one file (publishing uploads it).
func (a Artifact) IsFile() bool {
	return a.Product == pack.ProductFile || a.Product == pack.ProductRootArchive || a.Product == pack.ProductSBOM
}

// Files returns the outputs that are one file.
func (r *Result) Files() []Artifact {
	var files []Artifact
	for _, a := range r.Outputs {
		if a.IsFile() {
			files = append(files, a)
		}
	}
	return files
}

// RootArchive returns the first output holding the root as a tar, which
// boot boots and release pushes.
func (r *Result) RootArchive() (Artifact, bool) {
	for _, a := range r.Outputs {
		if a.Product == pack.ProductRootArchive {
			return a, true
		}
	}
	return Artifact{}, false
}

// SBOM returns the first output holding an SPDX document of the image,
// which release attaches to it.
func (r *Result) SBOM() (Artifact, bool) {
	for _, a := range r.Outputs {
		if a.Product == pack.ProductSBOM {
			return a, true
		}
	}
	return Artifact{}, false
}

// newResult describes the outputs of img written to outDir; a file
// output's digest comes from the .sha256 written beside it.
func newResult(img *hcl.Image, outDir string) (*Result, error) {
	r := &Result{Image: img.Name, Version: img.Version, OutDir: outDir}
	for _, o := range img.Outputs {
		a := Artifact{Kind: o.Kind, Product: pack.ProductOf(o.Output)}
		switch v := o.Output.(type) {
		case pack.Pathed:
			a.Path = outPath(outDir, v.OutputPath())
		case pack.Targeted:
			a.Path = v.OutputTarget()
		}
		if a.IsFile() {
			sum, err := filehash.ReadSidecar(a.Path)
			if err != nil {
				return nil, fmt.Errorf("reading the digest of output %s: %w", o.Kind, err)
			}
			a.Digest = sum
		}
		r.Outputs = append(r.Outputs, a)
	}
	return r, nil
}

// outPath is an output's path on the host: relative paths are relative
// to the output folder.
func outPath(outDir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(outDir, p)
}

// save writes the result to ResultName in its output folder, with the
// paths inside the folder relative to it, so that the folder may move.
func (r *Result) save() error {
	saved := *r
	saved.Outputs = nil
	for _, a := range r.Outputs {
		if rel, err := filepath.Rel(r.OutDir, a.Path); a.Product != pack.ProductDevice && err == nil && filepath.IsLocal(rel) {
			a.Path = rel
		}
		saved.Outputs = append(saved.Outputs, a)
	}
	b, err := json.MarshalIndent(&saved, "", "  ")
	if err != nil {
		return err
	}
	name := filepath.Join(r.OutDir, ResultName)
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("saving the build result: %w", err)
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("saving the build result: %w", err)
	}
	return nil
}

// LoadResult reads the result a build saved in outDir.
func LoadResult(outDir string) (*Result, error) {
	name := filepath.Join(outDir, ResultName)
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading the build result: %w", err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("reading build result %s: %w", name, err)
	}
	r.OutDir = outDir
	for i, a := range r.Outputs {
		if a.Product != pack.ProductDevice {
			r.Outputs[i].Path = outPath(outDir, a.Path)
		}
	}
	return &r, nil
}
