// Package oci releases an image root to an OCI registry: one
// deterministic gzip layer made from the root folder or its tar, a config
// with the root's OS and architecture, org.opencontainers.image.* labels and
// a created time from SOURCE_DATE_EPOCH, pushed under the version tag, the
// YYYY-MM-DD tag, extra tags and latest, as the original `make release` did.
//
// It uses github.com/google/go-containerregistry, the field's library for
// registries: its remote package skips blobs the registry already has, so a
// second push of the same root moves no layer, and authn.DefaultKeychain
// reads ~/.docker/config.json and its credential helpers.
package oci

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
)

// ReleaseOptions says what to release and where.
type ReleaseOptions struct {
	// Source is the image root folder or a tar of it (plain, gzip or zstd).
	Source string
	// Ref is REGISTRY/REPO:TAG; TAG is the version tag.
	Ref string
	// Tags are extra tags (version aliases).
	Tags []string
	// Latest also tags the image latest.
	Latest bool
	// Insecure allows plain HTTP and unverified TLS to the registry.
	Insecure bool
	// Labels are added to the config; the org.opencontainers.image title,
	// version and created labels are set unless given here.
	Labels map[string]string
	// Name is the image title label; Description its description label.
	Name, Description string
	// Created is the image's creation time; zero means SOURCE_DATE_EPOCH
	// when set, else now. It also makes the YYYY-MM-DD tag.
	Created time.Time
	// Keychain finds registry credentials; nil means authn.DefaultKeychain.
	Keychain authn.Keychain
	// Transport carries the registry requests; nil means the default.
	Transport http.RoundTripper
	// LayerCache is a folder keeping the last compressed layers by
	// content, so releasing the same root again compresses nothing; empty
	// means none.
	LayerCache string
	// SBOM is an SPDX JSON document attached to the pushed image as an
	// OCI referrer (artifact type application/spdx+json); empty means none.
	SBOM string
	// Log receives progress lines; nil discards.
	Log io.Writer
}

// Result is what Release pushed.
type Result struct {
	Digest   string   // the manifest digest, sha256:...
	Layer    string   // the layer digest
	Tags     []string // every REGISTRY/REPO:TAG pushed
	Platform string   // os/arch[/variant]
	SBOM     string   // the digest of the attached SPDX artifact, if any
}

// Release builds the image from o.Source and pushes it under every tag.
func Release(ctx context.Context, o ReleaseOptions) (Result, error) {
	created, err := createdTime(o.Created)
	if err != nil {
		return Result{}, err
	}
	refs, err := tagRefs(o, created)
	if err != nil {
		return Result{}, err
	}
	plat, err := DetectPlatform(o.Source)
	if err != nil {
		return Result{}, err
	}
	layer, cleanup, err := buildLayer(ctx, o.Source, o.LayerCache)
	if err != nil {
		return Result{}, err
	}
	defer cleanup()
	img, err := buildImage(layer, plat, labels(o, refs[0], created), created)
	if err != nil {
		return Result{}, err
	}
	res, err := push(ctx, o, img, refs)
	if err != nil {
		return res, err
	}
	res.Platform = plat.String()
	if o.SBOM != "" {
		if res.SBOM, err = attachSBOM(ctx, o, img, refs[0]); err != nil {
			return res, err
		}
	}
	if o.Log != nil {
		fmt.Fprintf(o.Log, "released %s (%s, %s) as %v\n", o.Source, res.Platform, res.Digest, res.Tags)
	}
	return res, nil
}
