package s3

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
)

// maxCopySize is the largest object CopyObject copies in one request.
const maxCopySize = 5 << 30

// verify compares the SHA-256 checksums the server computed and checked,
// for each part and for the whole object, with the ones of the bytes read
// from disk.
func verify(d *digest, out *transfermanager.UploadObjectOutput) error {
	if len(out.CompletedParts) > 0 {
		if len(out.CompletedParts) != len(d.parts) {
			return fmt.Errorf("verifying upload: server has %d parts, %d were read", len(out.CompletedParts), len(d.parts))
		}
		for _, p := range out.CompletedParts {
			n := int(aws.ToInt32(p.PartNumber))
			got := aws.ToString(p.ChecksumSHA256)
			if n < 1 || n > len(d.parts) || got != d.partSum(n-1) {
				return fmt.Errorf("verifying upload: part %d has sha256 %q on the server, not %q", n, got, d.partSum(max(0, min(n-1, len(d.parts)-1))))
			}
		}
	}
	got := aws.ToString(out.ChecksumSHA256)
	if got == d.full() || (len(out.CompletedParts) > 0 && got == d.composite()) {
		return nil
	}
	if got == "" {
		return fmt.Errorf("verifying upload: the server returned no sha256 checksum for the object")
	}
	return fmt.Errorf("verifying upload: object has sha256 %q on the server, not %q", got, d.full())
}

// checkLocalSum compares the file's SHA-256 with the FILE.sha256 written
// beside it by pack, when there is one: a difference means the file changed
// or rotted on disk after it was made.
func checkLocalSum(file, sum string) error {
	want, err := filehash.ReadSidecar(file)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !strings.EqualFold(want, sum) {
		return fmt.Errorf("%s has sha256 %s, but %s says %s", file, sum, filehash.SidecarName(file), want)
	}
	return nil
}

// copyLatest makes NAME-latest.EXT a server-side copy of the object (or a
// second upload past CopyObject's 5 GiB limit) and writes its .sha256.
func (c *client) copyLatest(ctx context.Context, o Options, bucket string, p upload, obj Object) error {
	if obj.Size > maxCopySize {
		_, err := c.publish(ctx, o, Location{Bucket: bucket}, upload{file: p.file, key: p.latest})
		return err
	}
	out, err := c.s3.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket:            aws.String(bucket),
		Key:               aws.String(p.latest),
		CopySource:        aws.String(bucket + "/" + p.key),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256,
		ACL:               s3acl(o.Public),
	})
	if err != nil {
		return fmt.Errorf("copying to %s: %w", p.latest, explain(err, bucket))
	}
	if err := checkCopy(out, obj.SHA256); err != nil {
		c.remove(bucket, p.latest)
		return fmt.Errorf("copying to %s: %w", p.latest, err)
	}
	return c.putSum(ctx, o, bucket, p.latest, obj.SHA256)
}

// checkCopy checks the copy's whole-object SHA-256 when the server reports
// one; a composite checksum (kept from a multipart source) cannot be
// compared with the file's and was already checked on upload.
func checkCopy(out *s3.CopyObjectOutput, sum string) error {
	if out.CopyObjectResult == nil || out.CopyObjectResult.ChecksumSHA256 == nil {
		return nil
	}
	got := *out.CopyObjectResult.ChecksumSHA256
	if strings.Contains(got, "-") {
		return nil
	}
	want, _ := hex.DecodeString(sum)
	raw, err := base64.StdEncoding.DecodeString(got)
	if err != nil || !bytes.Equal(raw, want) {
		return fmt.Errorf("copy has sha256 %q on the server, not %q", got, base64.StdEncoding.EncodeToString(want))
	}
	return nil
}
