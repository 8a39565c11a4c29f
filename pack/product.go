package pack

// Product is what an output leaves behind, as its kind declares it
// through the interfaces it implements.
type Product string

// The products of the output kinds.
const (
	ProductFolder      Product = "folder"       // a folder under the output folder (Pathed only)
	ProductFile        Product = "file"         // one reproducible file (File)
	ProductRootArchive Product = "root-archive" // a file holding the root as a tar (RootArchiver)
	ProductSBOM        Product = "sbom"         // a file holding an SPDX document of the image (SBOMWriter)
	ProductDevice      Product = "device"       // a block device or NBD export (Targeted)
	ProductNone        Product = "none"         // nothing chrootbuild keeps track of
)

// ProductOf says what o produces.
func ProductOf(o Output) Product {
	if a, ok := o.(RootArchiver); ok && a.RootArchive() {
		return ProductRootArchive
	}
	if s, ok := o.(SBOMWriter); ok && s.SBOM() {
		return ProductSBOM
	}
	if _, ok := o.(File); ok {
		return ProductFile
	}
	if _, ok := o.(Targeted); ok {
		return ProductDevice
	}
	if _, ok := o.(Pathed); ok {
		return ProductFolder
	}
	return ProductNone
}

// FileKinds returns the sorted names of the kinds whose result is one
// file: those `chrootbuild pack` writes.
func FileKinds() []string {
	var names []string
	for _, k := range Kinds() {
		if _, ok := kinds[k]().(File); ok {
			names = append(names, k)
		}
	}
	return names
}

// Compressions returns the compression names the kind accepts, or nil
// when it has no compression attribute (or is unknown).
func Compressions(kind string) []string {
	ctor, ok := kinds[kind]
	if !ok {
		return nil
	}
	if c, ok := ctor().(Compressible); ok {
		return c.Compressions()
	}
	return nil
}
