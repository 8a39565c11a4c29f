package oci

import (
	"fmt"
	"path"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// defaultPath is Debian's PATH for root, so `docker run IMAGE cmd` finds
// programs in every bin folder.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// buildImage makes an OCI image of one layer with the given platform,
// labels and creation time.
func buildImage(layer v1.Layer, plat v1.Platform, labels map[string]string, created time.Time) (v1.Image, error) {
	base := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.Append(base, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History:   v1.History{Created: v1.Time{Time: created}, CreatedBy: "chrootbuild release"},
	})
	if err != nil {
		return nil, fmt.Errorf("making the image: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("making the image config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = plat.OS, plat.Architecture, plat.Variant
	cf.Created = v1.Time{Time: created}
	cf.Config.Labels = labels
	cf.Config.Env = []string{defaultPath}
	cf.Config.Cmd = []string{"/bin/sh"}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("making the image config: %w", err)
	}
	return img, nil
}

// labels returns the org.opencontainers.image labels, then o.Labels over
// them.
func labels(o ReleaseOptions, ref name.Tag, created time.Time) map[string]string {
	title := o.Name
	if title == "" {
		title = path.Base(ref.RepositoryStr())
	}
	l := map[string]string{
		"org.opencontainers.image.title":   title,
		"org.opencontainers.image.version": ref.TagStr(),
		"org.opencontainers.image.created": created.Format(time.RFC3339),
	}
	if o.Description != "" {
		l["org.opencontainers.image.description"] = o.Description
	}
	for k, v := range o.Labels {
		l[k] = v
	}
	return l
}
