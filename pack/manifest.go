package pack

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/chrootbuild/chrootbuild/check"
	"github.com/chrootbuild/chrootbuild/dpkg"
)

// Manifest lists the packages installed in the image, from its dpkg
// database:
//
//	output "manifest" {
//	  path   = "rootfs.manifest"
//	  format = "text"
//	}
//
// format "text" (the default) writes one NAME<TAB>VERSION line per
// package, sorted, names as dpkg-query's ${binary:Package} (libc6:amd64),
// as Debian's and Ubuntu's cloud images' manifests. "spdx-json" writes an
// SPDX 2.3 JSON document (an SBOM): the image (name, version,
// distribution, suite, architecture) containing one package per installed
// binary package, with its version, supplier (the maintainer), a
// pkg:deb/DISTRIBUTION/NAME@VERSION?arch=ARCH package URL, its source
// package, its license when /usr/share/doc/NAME/copyright is
// machine-readable (else NOASSERTION) and the SHA-256 of its .deb as the
// archive lists it; created at SOURCE_DATE_EPOCH when set, so the same
// image gives the same document; the document is valid against the SPDX
// project's 2.3 JSON schema. A root without a dpkg database is an error.
type Manifest struct {
	Path   string `hcl:"path"`
	Format string `hcl:"format,optional"`
	// Image is what the document describes, set by the loader.
	Image ImageInfo `json:"image"`
}

// ImageInfo describes the image an output is written for.
type ImageInfo struct {
	Name, Version             string
	Distribution, Suite, Arch string
	Description               string
}

// Described is implemented by outputs that record which image they were
// written for; the loader calls Describe once the image is resolved.
type Described interface {
	Describe(ImageInfo)
}

// PackageReader is implemented by outputs that read the image's dpkg
// database; a definition whose steps remove it is refused.
type PackageReader interface {
	ReadsPackages() bool
}

// SBOM reports whether the manifest is an SPDX document (format
// spdx-json).
func (m *Manifest) SBOM() bool { return m.Format == "spdx-json" }

// ReadsPackages reports that a manifest reads the dpkg database.
func (m *Manifest) ReadsPackages() bool { return true }

// ManifestFormats are the formats a manifest output writes.
var ManifestFormats = []string{"text", "spdx-json"}

func init() { register("manifest", func() Output { return &Manifest{Format: "text"} }) }

// Check validates the path and format.
func (m *Manifest) Check() error {
	return errors.Join(checkOutPath("path", m.Path), check.OneOf("format", m.Format, ManifestFormats...))
}

// Summary describes the output in one line.
func (m *Manifest) Summary() string { return fmt.Sprintf("manifest %s (%s)", m.Path, m.Format) }

// OutputPath returns the file as written.
func (m *Manifest) OutputPath() string { return m.Path }

// SetFile sets the path; the format follows the name (.spdx.json is
// spdx-json).
func (m *Manifest) SetFile(path string, _ FileOptions) {
	m.Path = path
	if strings.HasSuffix(path, ".spdx.json") || strings.HasSuffix(path, ".spdx") {
		m.Format = "spdx-json"
	}
}

// Describe records the image the manifest is written for.
func (m *Manifest) Describe(img ImageInfo) { m.Image = img }

// Write lists the root's packages into the file.
func (m *Manifest) Write(ctx context.Context, env *Env) error {
	pkgs, err := dpkg.ReadRoot(env.RootDir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the image has no dpkg database (%s), which a manifest lists the packages of", "/"+dpkg.StatusFile)
	}
	if err != nil {
		return err
	}
	var data []byte
	if m.Format == "spdx-json" {
		data, err = spdxDocument(ctx, env, m.Image, pkgs)
		if err != nil {
			return err
		}
	} else {
		data = textManifest(pkgs)
	}
	return writeFile(ctx, env, m.Path, func(_ context.Context, f *outFile) error {
		_, err := f.Write(data)
		return err
	})
}

// textManifest writes NAME<TAB>VERSION lines sorted by name.
func textManifest(pkgs []dpkg.Package) []byte {
	native := dpkg.NativeArch(pkgs)
	var b strings.Builder
	for _, p := range pkgs {
		b.WriteString(p.BinaryName(native) + "\t" + p.Version + "\n")
	}
	return []byte(b.String())
}
