package s3

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// checkBucket fails early, before any data moves, on wrong credentials, a
// missing bucket or an unreachable endpoint.
func (c *client) checkBucket(ctx context.Context, bucket string) error {
	_, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil {
		return nil
	}
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) && resp.HTTPStatusCode() == 403 {
		// A HEAD answer has no body, so no error code: ask again with a GET
		// to tell refused credentials from a denied bucket. Credentials
		// that may put objects but not look at the bucket are common in
		// CI, so a plain AccessDenied is left for the upload to confirm.
		_, lerr := c.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1)})
		var api smithy.APIError
		if lerr == nil || (errors.As(lerr, &api) && api.ErrorCode() == "AccessDenied") {
			return nil
		}
		if errors.As(lerr, &api) {
			err = lerr
		}
	}
	return fmt.Errorf("checking bucket %s: %w", bucket, explain(err, bucket))
}

// remove deletes an object that must not stay, with a context of its own.
func (c *client) remove(bucket, key string) {
	ctx, cancel := context.WithTimeout(context.Background(), abortTimeout)
	defer cancel()
	c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
}

// abort makes sure a failed multipart upload is gone. The transfer manager
// aborts it once, but a part request the server was still receiving when
// the client gave up can land after that abort and bring the upload back,
// so abort again until the server lists it no more.
func (c *client) abort(bucket, key, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), abortTimeout)
	defer cancel()
	for i := 0; i < 10; i++ {
		c.s3.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(id)})
		time.Sleep(time.Duration(i+1) * 100 * time.Millisecond)
		out, err := c.s3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket), Prefix: aws.String(key)})
		if err != nil || !listed(out, id) {
			return
		}
	}
}

func listed(out *s3.ListMultipartUploadsOutput, id string) bool {
	for _, u := range out.Uploads {
		if aws.ToString(u.UploadId) == id {
			return true
		}
	}
	return false
}
