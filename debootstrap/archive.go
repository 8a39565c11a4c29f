package debootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// archive is one suite of a mirror, read through a verified Release.
type archive struct {
	mirror, suite, arch string
	components          []string
	allowExpired        bool // accept a Release past its Valid-Until
	fetch               *fetcher
	rel                 *release
}

func (a *archive) distURL(path string) string {
	return strings.TrimSuffix(a.mirror, "/") + "/dists/" + a.suite + "/" + path
}

func (a *archive) poolURL(filename string) string {
	return strings.TrimSuffix(a.mirror, "/") + "/" + filename
}

// openRelease fetches and verifies InRelease, or Release and Release.gpg
// when the mirror has no InRelease. keys nil means insecure: the
// signature is not checked and log gets a loud warning.
func (a *archive) openRelease(ctx context.Context, keys openpgp.EntityList, log io.Writer) error {
	text, err := a.fetchRelease(ctx, keys, log)
	if err != nil {
		return err
	}
	rel, err := parseRelease(text)
	if err != nil {
		return fmt.Errorf("reading %s: %w", a.distURL("Release"), err)
	}
	if err := checkRelease(rel, a.suite, a.allowExpired, time.Now()); err != nil {
		return fmt.Errorf("checking the Release file of suite %s on %s: %w", a.suite, a.mirror, err)
	}
	if !slices.Contains(rel.Architectures, a.arch) {
		return fmt.Errorf("architecture %s is not in suite %s of %s (it has: %s)",
			a.arch, a.suite, a.mirror, strings.Join(rel.Architectures, " "))
	}
	for _, c := range a.components {
		if !slices.Contains(rel.Components, c) && !slices.Contains(rel.Components, lastPath(c)) {
			return fmt.Errorf("component %s is not in suite %s of %s (it has: %s)",
				c, a.suite, a.mirror, strings.Join(rel.Components, " "))
		}
	}
	a.rel = rel
	return nil
}

func lastPath(s string) string { return s[strings.LastIndex(s, "/")+1:] }

func (a *archive) fetchRelease(ctx context.Context, keys openpgp.EntityList, log io.Writer) ([]byte, error) {
	if keys == nil {
		fmt.Fprintf(log, "WARNING: insecure: the Release file of %s %s is NOT verified; anyone on the path can change what gets installed\n", a.mirror, a.suite)
	}
	url := a.distURL("InRelease")
	data, err := a.fetch.getBytes(ctx, url)
	if err == nil {
		text, err := verifyInRelease(data, keys)
		if err != nil {
			return nil, fmt.Errorf("checking %s: %w", url, err)
		}
		return text, nil
	}
	var he *httpError
	if !errors.As(err, &he) {
		return nil, err
	}
	url = a.distURL("Release")
	data, rerr := a.fetch.getBytes(ctx, url)
	if rerr != nil {
		if errors.As(rerr, &he) {
			return nil, fmt.Errorf("suite %s not found on %s: %w", a.suite, a.mirror, err)
		}
		return nil, rerr
	}
	if keys == nil {
		return data, nil
	}
	sig, err := a.fetch.getBytes(ctx, url+".gpg")
	if err != nil {
		return nil, fmt.Errorf("archive is unsigned: %w", err)
	}
	if err := verifyDetached(data, sig, keys); err != nil {
		return nil, fmt.Errorf("checking %s with %s.gpg: %w", url, url, err)
	}
	return data, nil
}
