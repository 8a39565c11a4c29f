package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/chrootbuild/chrootbuild/stepcache"
)

// RemoteCache is a step cache's shared store in an S3 bucket
// (stepcache.Remote): one object per cache key under the URL's prefix.
type RemoteCache struct {
	c   *client
	loc Location
}

// Connection limits of the remote cache: a remote that does not answer
// must not hold a build longer than building locally would.
const (
	remoteDialTimeout   = 5 * time.Second
	remoteHeaderTimeout = 30 * time.Second
	remoteRetries       = 2
)

// NewRemoteCache opens the remote cache at url (s3://BUCKET/PREFIX/) with
// the standard AWS chain and endpoint (AWS_ENDPOINT_URL, or endpoint when
// set). It does not contact the server.
func NewRemoteCache(ctx context.Context, url, endpoint string) (*RemoteCache, error) {
	loc, err := ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("remote cache: %w", err)
	}
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.DialContext = (&net.Dialer{Timeout: remoteDialTimeout}).DialContext
		t.ResponseHeaderTimeout = remoteHeaderTimeout
	})
	c, err := newClient(ctx, Options{Endpoint: endpoint, Retries: remoteRetries, httpClient: hc})
	if err != nil {
		return nil, fmt.Errorf("remote cache %s: %w", loc, err)
	}
	return &RemoteCache{c: c, loc: loc}, nil
}

// String names the cache by its URL.
func (r *RemoteCache) String() string { return r.loc.String() }

func (r *RemoteCache) key(name string) *string { return aws.String(r.loc.Prefix + name) }

// Get opens an object; stepcache.ErrRemoteMissing when there is none.
func (r *RemoteCache) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	// The SDK's own response checksum is not checked: every object opens
	// with a manifest whose digest the step cache checks before use.
	out, err := r.c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: &r.loc.Bucket, Key: r.key(name)},
		func(o *s3.Options) { o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired })
	if err != nil {
		if isNotFound(err) {
			return nil, stepcache.ErrRemoteMissing
		}
		return nil, scrub(explain(err, r.loc.Bucket), r.c.secrets...)
	}
	return out.Body, nil
}

// Exists asks for the object's head.
func (r *RemoteCache) Exists(ctx context.Context, name string) (bool, error) {
	_, err := r.c.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &r.loc.Bucket, Key: r.key(name)})
	if err == nil {
		return true, nil
	}
	if isNotFound(err) {
		return false, nil
	}
	return false, scrub(explain(err, r.loc.Bucket), r.c.secrets...)
}

// Delete removes an object.
func (r *RemoteCache) Delete(ctx context.Context, name string) error {
	_, err := r.c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &r.loc.Bucket, Key: r.key(name)})
	if err != nil && !isNotFound(err) {
		return scrub(explain(err, r.loc.Bucket), r.c.secrets...)
	}
	return nil
}

// List returns the names of the objects under prefix (relative to the
// cache's own prefix).
func (r *RemoteCache) List(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	p := s3.NewListObjectsV2Paginator(r.c.s3, &s3.ListObjectsV2Input{Bucket: &r.loc.Bucket, Prefix: r.key(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, scrub(explain(err, r.loc.Bucket), r.c.secrets...)
		}
		for _, o := range page.Contents {
			names = append(names, (*o.Key)[len(r.loc.Prefix):])
		}
	}
	return names, nil
}

func isNotFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound") {
		return true
	}
	var resp *awshttp.ResponseError
	return errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusNotFound
}

func isPreconditionFailed(err error) bool {
	var resp *awshttp.ResponseError
	return errors.As(err, &resp) && (resp.HTTPStatusCode() == http.StatusPreconditionFailed ||
		resp.HTTPStatusCode() == http.StatusConflict)
}
