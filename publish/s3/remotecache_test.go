package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/chrootbuild/chrootbuild/internal/s3test"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// failingReader yields data, then fails instead of ending.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, errors.New("packing failed")
	}
	return n, err
}

// TestRemoteCachePutNewStreams stores objects of one part and of several
// (sent while the body is still being read) on versitygw: each reads back
// whole, a second write of a key is ErrRemoteExists and keeps the first,
// and a body that fails after two parts leaves no object and no upload
// behind.
func TestRemoteCachePutNewStreams(t *testing.T) {
	s := s3test.Start(t, "cache")
	t.Setenv("AWS_ENDPOINT_URL", s.Endpoint)
	ctx := context.Background()
	rc, err := NewRemoteCache(ctx, "s3://cache/p/", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1000, 2*partSize + 12345, 3 * partSize} {
		data := make([]byte, size)
		rand.Read(data)
		if err := rc.PutNew(ctx, "obj", bytes.NewReader(data)); err != nil {
			t.Fatalf("PutNew of %d bytes: %v", size, err)
		}
		other := bytes.Repeat([]byte("x"), size)
		if err := rc.PutNew(ctx, "obj", bytes.NewReader(other)); !errors.Is(err, stepcache.ErrRemoteExists) {
			t.Fatalf("a second PutNew of one key: %v, want ErrRemoteExists", err)
		}
		if got := s.Get(t, "cache", "p/obj"); !bytes.Equal(got, data) {
			t.Fatalf("object of %d bytes read back as %d bytes that differ", size, len(got))
		}
		if err := rc.Delete(ctx, "obj"); err != nil {
			t.Fatal(err)
		}
	}
	data := make([]byte, 2*partSize+100)
	if err := rc.PutNew(ctx, "torn", &failingReader{bytes.NewReader(data)}); err == nil {
		t.Fatal("PutNew of a failing body succeeded")
	}
	if there, err := rc.Exists(ctx, "torn"); err != nil || there {
		t.Fatalf("after a failed body the object exists (%v, %v)", there, err)
	}
	ups, err := rc.c.s3.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("cache")})
	if err != nil || len(ups.Uploads) != 0 {
		t.Fatalf("multipart uploads left behind: %d (%v)", len(ups.Uploads), err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "cache", "p", "torn")); err == nil {
		t.Fatal("versitygw holds a file for the torn object")
	}
}
