package s3

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/s3test"
)

// TestCheckBucketForbiddenHead: credentials that may put objects but not
// look at the bucket pass the early check; refused credentials do not.
// The fake answers HEAD with a bare 403, as S3 does, and the follow-up
// listing with the error code under test.
func TestCheckBucketForbiddenHead(t *testing.T) {
	for code, wantErr := range map[string]string{
		"AccessDenied":          "",
		"SignatureDoesNotMatch": "credentials refused",
		"InvalidAccessKeyId":    "credentials refused",
	} {
		t.Run(code, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusForbidden)
				if r.Method != http.MethodHead {
					fmt.Fprintf(w, "<Error><Code>%s</Code><Message>no</Message></Error>", code)
				}
			}))
			defer srv.Close()
			s3test.SetEnv(t, "key", "secret")
			c, err := newClient(context.Background(), Options{Endpoint: srv.URL, Retries: 1})
			if err != nil {
				t.Fatal(err)
			}
			err = c.checkBucket(context.Background(), "images")
			if wantErr == "" && err != nil || wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)) {
				t.Errorf("checkBucket: %v, want %q", err, wantErr)
			}
		})
	}
}

func TestScrub(t *testing.T) {
	err := scrub(fmt.Errorf("signing with s3kr1t failed: s3kr1t"), "s3kr1t")
	if strings.Contains(err.Error(), "s3kr1t") || !strings.Contains(err.Error(), "[secret]") {
		t.Errorf("scrubbed error %q", err)
	}
	if err := scrub(fmt.Errorf("token tok-123 expired"), "s3kr1t", "tok-123"); strings.Contains(err.Error(), "tok-123") {
		t.Errorf("session token left in %q", err)
	}
	if err := scrub(nil, "x"); err != nil {
		t.Errorf("scrub(nil) = %v", err)
	}
}
