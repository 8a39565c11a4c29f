package hcl

import (
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/pack"
)

const manifestDef = `image "debian" {
  version     = "bookworm"
  description = "Debian"
  bootstrap {
    suite = "bookworm"
    arch  = "arm64"
  }
%s
  output "manifest" { path = "rootfs.manifest" }
  output "manifest" {
    path   = "rootfs.spdx.json"
    format = "spdx-json"
  }
}
`

// TestManifestDescribed: the manifest outputs learn the image they
// describe, defaults filled in.
func TestManifestDescribed(t *testing.T) {
	img := load(t, writeDef(t, strings.Replace(manifestDef, "%s", "", 1)), LoadOptions{})
	want := pack.ImageInfo{Name: "debian", Version: "bookworm", Description: "Debian", Distribution: "debian", Suite: "bookworm", Arch: "arm64"}
	for _, o := range img.Outputs {
		if got := o.Output.(*pack.Manifest).Image; got != want {
			t.Errorf("%s: image %+v, want %+v", o.Summary(), got, want)
		}
	}
}

// TestManifestWithoutPackageDatabase: a remove step deleting the dpkg
// database makes every manifest output a validation error naming the
// step.
func TestManifestWithoutPackageDatabase(t *testing.T) {
	for _, paths := range []string{`["/var/lib/dpkg"]`, `["/var/lib/*/status"]`, `["/var"]`} {
		def := writeDef(t, strings.Replace(manifestDef, "%s", "  provision \"remove\" { paths = "+paths+" }", 1))
		_, diags := Load(def, LoadOptions{Env: []string{}})
		if len(diags.Errs()) != 2 || !strings.Contains(diags.Error(), "which the remove step at "+def+"/image.hcl:8,") ||
			!strings.Contains(diags[0].Summary, "No package database for the manifest output") {
			t.Errorf("remove %s: %v", paths, diags)
		}
	}
	def := writeDef(t, strings.Replace(manifestDef, "%s", `  provision "remove" { paths = ["/var/lib/dpkg/info/*.md5sums"] }`, 1))
	if _, diags := Load(def, LoadOptions{Env: []string{}}); diags.HasErrors() {
		t.Errorf("removing other files of /var/lib/dpkg: %v", diags)
	}
}
