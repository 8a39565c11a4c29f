package s3

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// explain adds what the user should look at to an S3 error: the SDK's own
// text names the operation and the status but not the likely cause.
func explain(err error, bucket string) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId":
			return fmt.Errorf("credentials refused (check the access key and secret): %w", err)
		case "NoSuchBucket":
			return fmt.Errorf("bucket %q does not exist: %w", bucket, err)
		case "AccessDenied":
			return fmt.Errorf("access to bucket %q denied: %w", bucket, err)
		}
	}
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) {
		switch resp.HTTPStatusCode() {
		case 404:
			return fmt.Errorf("bucket %q does not exist: %w", bucket, err)
		case 403:
			return fmt.Errorf("access to bucket %q denied (check the credentials): %w", bucket, err)
		}
	}
	var op *net.OpError
	var dns *net.DNSError
	if errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial") {
		return fmt.Errorf("endpoint unreachable: %w", err)
	}
	return err
}

// scrubbed is an error whose text had a secret removed. It does not unwrap:
// the chain below still holds the secret.
type scrubbed struct{ msg string }

func (s *scrubbed) Error() string { return s.msg }

// scrub makes sure no secret (the secret key, a session token) reaches a
// log or a terminal through an error, whatever a lower layer put in its
// text.
func scrub(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[secret]")
		}
	}
	if msg == err.Error() {
		return err
	}
	return &scrubbed{msg: msg}
}
