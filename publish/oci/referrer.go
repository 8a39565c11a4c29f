package oci

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// SPDXType is the artifact type of an SPDX JSON document attached to an
// image.
const SPDXType = "application/spdx+json"

// emptyConfig is OCI 1.1's empty descriptor, the config of an artifact.
var emptyConfig = []byte("{}")

const emptyConfigType types.MediaType = "application/vnd.oci.empty.v1+json"

// artifact is an OCI 1.1 artifact manifest: one blob of artifactType,
// about subject.
type artifact struct {
	raw []byte
}

func (a artifact) RawManifest() ([]byte, error)        { return a.raw, nil }
func (a artifact) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

// attach pushes the file at path as an artifact of type artifactType
// referring to subject (the image under ref): a registry with the
// referrers API lists it there; for one without (docker-registry 2.8),
// go-containerregistry keeps the sha256-DIGEST tag index the OCI
// distribution specification's fallback describes. It returns the
// artifact's digest.
func attach(ctx context.Context, o ReleaseOptions, ref name.Tag, subject v1.Descriptor, path, artifactType string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	opts := remoteOptions(ctx, o)
	repo := ref.Context()
	cfg, blob := static.NewLayer(emptyConfig, emptyConfigType), static.NewLayer(data, types.MediaType(artifactType))
	for _, l := range []v1.Layer{cfg, blob} {
		if err := remote.WriteLayer(repo, l, opts...); err != nil {
			return "", fmt.Errorf("pushing %s: %w", path, explain(err, ref))
		}
	}
	raw, err := artifactManifest(cfg, blob, subject, artifactType, path)
	if err != nil {
		return "", err
	}
	d, _, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	if err := remote.Put(repo.Digest(d.String()), artifact{raw}, opts...); err != nil {
		return "", fmt.Errorf("attaching %s to %s: %w", path, ref, explain(err, ref))
	}
	return d.String(), nil
}

// attachSBOM attaches o.SBOM to the image pushed as ref.
func attachSBOM(ctx context.Context, o ReleaseOptions, img v1.Image, ref name.Tag) (string, error) {
	raw, err := img.RawManifest()
	if err != nil {
		return "", err
	}
	mt, err := img.MediaType()
	if err != nil {
		return "", err
	}
	d, size, err := v1.SHA256(bytes.NewReader(raw))
	if err != nil {
		return "", err
	}
	digest, err := attach(ctx, o, ref, v1.Descriptor{MediaType: mt, Digest: d, Size: size}, o.SBOM, SPDXType)
	if err == nil && o.Log != nil {
		fmt.Fprintf(o.Log, "attached %s to %s@%s as %s (%s)\n", o.SBOM, ref.Context(), d, digest, SPDXType)
	}
	return digest, err
}

// artifactManifest writes the manifest of the artifact.
func artifactManifest(cfg, blob v1.Layer, subject v1.Descriptor, artifactType, path string) ([]byte, error) {
	desc := func(l v1.Layer) (v1.Descriptor, error) {
		d, err := l.Digest()
		if err != nil {
			return v1.Descriptor{}, err
		}
		size, _ := l.Size()
		mt, _ := l.MediaType()
		return v1.Descriptor{MediaType: mt, Digest: d, Size: size}, nil
	}
	c, err := desc(cfg)
	if err != nil {
		return nil, err
	}
	b, err := desc(blob)
	if err != nil {
		return nil, err
	}
	b.Annotations = map[string]string{"org.opencontainers.image.title": filepath.Base(path)}
	subject.Annotations, subject.Platform = nil, nil
	return json.Marshal(v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: artifactType,
		Config: c, Layers: []v1.Descriptor{b}, Subject: &subject})
}
