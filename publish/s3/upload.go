package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// abortTimeout bounds the AbortMultipartUpload sent after a failure, with a
// context of its own since the caller's may be the one that was cancelled.
const abortTimeout = 30 * time.Second

// publish uploads one file, checks the server's checksums against the bytes
// read from disk, then writes the .sha256 and the latest copy.
func (c *client) publish(ctx context.Context, o Options, loc Location, p upload) (Object, error) {
	obj, err := c.send(ctx, o, loc, p)
	if err != nil {
		return obj, err
	}
	if err := checkLocalSum(p.file, obj.SHA256); err != nil {
		// What was sent is what is on disk, but not what pack wrote: the
		// file changed or rotted, so it must not stay published.
		c.remove(loc.Bucket, p.key)
		return obj, err
	}
	if err := c.putSum(ctx, o, loc.Bucket, p.key, obj.SHA256); err != nil {
		return obj, err
	}
	if p.latest != "" && p.latest != p.key {
		if err := c.copyLatest(ctx, o, loc.Bucket, p, obj); err != nil {
			return obj, err
		}
		obj.Latest = loc.URL(p.latest)
	}
	return obj, nil
}

// send uploads the file under p.key, multipart when it is larger than a
// part, and verifies it.
func (c *client) send(ctx context.Context, o Options, loc Location, p upload) (Object, error) {
	obj := Object{File: p.file, URL: loc.URL(p.key)}
	f, err := os.Open(p.file)
	if err != nil {
		return obj, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return obj, err
	}
	if !st.Mode().IsRegular() {
		return obj, fmt.Errorf("%s is not a regular file", p.file)
	}
	obj.Size = st.Size()
	partSize := o.partSize(st.Size())
	d := newDigest(f, partSize)
	out, err := c.transfer(o, partSize).UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket:            aws.String(loc.Bucket),
		Key:               aws.String(p.key),
		Body:              d,
		ContentLength:     aws.Int64(st.Size()),
		ContentType:       aws.String("application/octet-stream"),
		ChecksumAlgorithm: tmtypes.ChecksumAlgorithmSha256,
		ACL:               acl(o.Public),
	})
	if err != nil {
		var mu interface{ UploadID() string }
		if errors.As(err, &mu) {
			c.abort(loc.Bucket, p.key, mu.UploadID())
		}
		return obj, explain(err, loc.Bucket)
	}
	d.finish()
	obj.SHA256 = d.hex()
	if err := verify(d, out); err != nil {
		// The object is whole on the server but not what was read: remove
		// it rather than leave a wrong file under the final name.
		c.remove(loc.Bucket, p.key)
		return obj, err
	}
	return obj, nil
}

// partSize is the configured part size, raised when the file would need more
// than S3's 10,000 parts (the transfer manager raises it the same way).
func (o Options) partSize(size int64) int64 {
	ps := int64(DefaultPartSize)
	if o.PartSize > 0 {
		ps = o.PartSize
	}
	if size/ps >= 10000 {
		ps = size/10000 + 1
	}
	return ps
}

func (c *client) transfer(o Options, partSize int64) *transfermanager.Client {
	return transfermanager.New(c.s3, func(t *transfermanager.Options) {
		t.PartSizeBytes = partSize
		t.MultipartUploadThreshold = partSize
		t.Concurrency = DefaultConcurrency
		if o.Concurrency > 0 {
			t.Concurrency = o.Concurrency
		}
		t.ChecksumAlgorithm = tmtypes.ChecksumAlgorithmSha256
		t.FailTimeout = abortTimeout
	})
}

func acl(public bool) tmtypes.ObjectCannedACL {
	if public {
		return tmtypes.ObjectCannedACLPublicRead
	}
	return ""
}

func s3acl(public bool) s3types.ObjectCannedACL {
	if public {
		return s3types.ObjectCannedACLPublicRead
	}
	return ""
}

// putSum writes KEY.sha256 in sha256sum's format, naming the object so that
// `sha256sum -c` works on a downloaded pair.
func (c *client) putSum(ctx context.Context, o Options, bucket, key, sum string) error {
	body := []byte(filehash.SidecarLine(key, sum))
	_, err := c.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:            aws.String(bucket),
		Key:               aws.String(key + ".sha256"),
		Body:              bytes.NewReader(body),
		ContentType:       aws.String("text/plain"),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256,
		ACL:               s3acl(o.Public),
	})
	if err != nil {
		return fmt.Errorf("writing %s.sha256: %w", key, explain(err, bucket))
	}
	return nil
}
