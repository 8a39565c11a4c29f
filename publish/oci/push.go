package oci

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// push writes img under refs[0], then tags it with the other refs: the
// registry already has every blob then, so each tag is one manifest PUT.
func push(ctx context.Context, o ReleaseOptions, img v1.Image, refs []name.Tag) (Result, error) {
	var res Result
	d, err := img.Digest()
	if err != nil {
		return res, err
	}
	res.Digest = d.String()
	if layers, err := img.Layers(); err == nil && len(layers) == 1 {
		if ld, err := layers[0].Digest(); err == nil {
			res.Layer = ld.String()
		}
	}
	opts := remoteOptions(ctx, o)
	if err := remote.Write(refs[0], img, opts...); err != nil {
		return res, fmt.Errorf("pushing %s: %w", refs[0], explain(err, refs[0]))
	}
	res.Tags = append(res.Tags, refs[0].String())
	for _, ref := range refs[1:] {
		if err := remote.Tag(ref, img, opts...); err != nil {
			return res, fmt.Errorf("tagging %s: %w", ref, explain(err, ref))
		}
		res.Tags = append(res.Tags, ref.String())
	}
	return res, nil
}

func remoteOptions(ctx context.Context, o ReleaseOptions) []remote.Option {
	kc := o.Keychain
	if kc == nil {
		kc = authn.DefaultKeychain
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc), remote.WithUserAgent("chrootbuild")}
	t := o.Transport
	if t == nil && o.Insecure {
		tr := remote.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
		t = tr
	}
	if t != nil {
		opts = append(opts, remote.WithTransport(t))
	}
	return opts
}

// explain says what to look at for the usual registry failures.
func explain(err error, ref name.Tag) error {
	var te *transport.Error
	if errors.As(err, &te) && (te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden) {
		return fmt.Errorf("registry %s refused the credentials (docker login %s, or a credential helper in ~/.docker/config.json): %w",
			ref.RegistryStr(), ref.RegistryStr(), err)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("registry %s unreachable: %w", ref.RegistryStr(), err)
	}
	if strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return fmt.Errorf("registry %s speaks plain http (use --insecure): %w", ref.RegistryStr(), err)
	}
	return err
}
