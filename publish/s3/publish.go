// Package s3 uploads build outputs to S3 or any S3-compatible server,
// under the names the original image tools used (NAME-VERSION.EXT, and
// NAME-latest.EXT for the latest build), each with its .sha256 beside it.
//
// It uses aws-sdk-go-v2: its config package is the one complete
// implementation of the standard AWS credential and region chain
// (environment, shared files, profiles, SSO, instance roles), and its
// transfer manager sends large files as parallel multipart uploads that are
// aborted on failure, each part carrying a SHA-256 checksum the server
// verifies.
package s3

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Default transfer settings: 16 MiB parts, four at a time, keep a 2-core
// build host busy without holding much memory.
const (
	DefaultPartSize    = 16 << 20
	DefaultConcurrency = 4
	defaultRetries     = 5
)

// Options says where and how Upload publishes files.
type Options struct {
	// URL is s3://BUCKET/PREFIX/.
	URL string
	// Endpoint is the base URL of an S3-compatible server; empty means AWS
	// or whatever the AWS configuration names.
	Endpoint string
	// Profile selects a profile of the shared AWS files; empty means
	// AWS_PROFILE or "default".
	Profile string
	// Name and Version make the remote name NAME-VERSION.EXT.
	Name, Version string
	// Latest also publishes NAME-latest.EXT.
	Latest bool
	// Public sets the public-read ACL.
	Public bool
	// PartSize and Concurrency tune multipart uploads; zero means default.
	PartSize    int64
	Concurrency int
	// Retries is the number of attempts of each request; zero means default.
	Retries int
	// Log receives one line per published object; nil discards.
	Log io.Writer
	// httpClient replaces the SDK's HTTP client (the remote cache's has
	// short connection limits).
	httpClient aws.HTTPClient
}

func (o Options) retries() int {
	if o.Retries > 0 {
		return o.Retries
	}
	return defaultRetries
}

// Object is one published object.
type Object struct {
	File   string // the local file
	URL    string // s3://BUCKET/KEY
	Size   int64
	SHA256 string // hex, as sha256sum prints it
	Latest string // s3:// URL of the NAME-latest copy, if any
}

// Upload publishes each file to o.URL. It checks every name before sending
// anything; on error the objects already published are returned with it.
func Upload(ctx context.Context, o Options, files ...string) ([]Object, error) {
	loc, err := ParseURL(o.URL)
	if err != nil {
		return nil, err
	}
	plan, err := planUploads(o, loc, files)
	if err != nil {
		return nil, err
	}
	c, err := newClient(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := c.checkBucket(ctx, loc.Bucket); err != nil {
		return nil, scrub(err, c.secrets...)
	}
	var done []Object
	for _, p := range plan {
		obj, err := c.publish(ctx, o, loc, p)
		if err != nil {
			return done, scrub(fmt.Errorf("publishing %s to %s: %w", p.file, loc.URL(p.key), err), c.secrets...)
		}
		done = append(done, obj)
		if o.Log != nil {
			fmt.Fprintf(o.Log, "published %s as %s (%d bytes, sha256 %s)\n", p.file, obj.URL, obj.Size, obj.SHA256)
		}
	}
	return done, nil
}

// upload is one file and the keys it goes to.
type upload struct {
	file, key, latest string
}

// planUploads names every file's keys and refuses two files that would land
// on the same key.
func planUploads(o Options, loc Location, files []string) ([]upload, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no file to publish")
	}
	if err := checkNamePart("name", o.Name); err != nil {
		return nil, err
	}
	if err := checkNamePart("version", o.Version); err != nil {
		return nil, err
	}
	seen := map[string]string{}
	var plan []upload
	for _, f := range files {
		if f == "" || strings.HasSuffix(f, "/") {
			return nil, fmt.Errorf("publishing %q: not a file name", f)
		}
		p := upload{file: f, key: loc.Prefix + ObjectName(f, o.Name, o.Version)}
		if o.Latest {
			p.latest = loc.Prefix + ObjectName(f, o.Name, "latest")
		}
		if prev, ok := seen[p.key]; ok {
			return nil, fmt.Errorf("%s and %s would both be published as %s", prev, f, loc.URL(p.key))
		}
		seen[p.key] = f
		plan = append(plan, p)
	}
	return plan, nil
}
