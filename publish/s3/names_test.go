package s3

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct{ in, bucket, prefix, err string }{
		{"s3://images/", "images", "", ""},
		{"s3://images", "images", "", ""},
		{"s3://images/debian", "images", "debian/", ""},
		{"s3://images/a/b/", "images", "a/b/", ""},
		{"https://images/", "", "", "scheme must be s3://"},
		{"s3:///x", "", "", "no bucket"},
		{"s3://images/a//b", "", "", "empty folder name"},
		{"s3://images/?x=1", "", "", "only s3://BUCKET/PREFIX/"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			l, err := ParseURL(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || l.Bucket != tc.bucket || l.Prefix != tc.prefix {
				t.Fatalf("got %+v, %v", l, err)
			}
		})
	}
}

func TestObjectName(t *testing.T) {
	for _, tc := range []struct{ file, name, version, want string }{
		{"out/rootfs.tar", "debian", "12", "debian-12.tar"},
		{"rootfs.sqsh", "debian", "bookworm", "debian-bookworm.sqsh"},
		{"rootfs.tar.gz", "ubuntu", "24.04", "ubuntu-24.04.tar.gz"},
		{"rootfs.tar", "", "", "rootfs.tar"},
		{"rootfs.tar", "", "1.0", "rootfs-1.0.tar"},
		{"initrd", "rescue", "1", "rescue-1"},
		{".hidden.tar", "x", "1", "x-1.tar"},
	} {
		if got := ObjectName(tc.file, tc.name, tc.version); got != tc.want {
			t.Errorf("ObjectName(%q, %q, %q) = %q, want %q", tc.file, tc.name, tc.version, got, tc.want)
		}
	}
}

func TestPlanRefusesCollisionsAndBadNames(t *testing.T) {
	loc := Location{Bucket: "b"}
	if _, err := planUploads(Options{Name: "d", Version: "1"}, loc, []string{"a/rootfs.tar", "b/rootfs.tar"}); err == nil || !strings.Contains(err.Error(), "would both be published as s3://b/d-1.tar") {
		t.Errorf("collision: %v", err)
	}
	if _, err := planUploads(Options{Name: "a/b"}, loc, []string{"rootfs.tar"}); err == nil || !strings.Contains(err.Error(), "slash") {
		t.Errorf("slash in name: %v", err)
	}
	if _, err := planUploads(Options{}, loc, nil); err == nil {
		t.Error("no file: no error")
	}
}

// TestVerify checks the whole-object and per-part comparisons against
// checksums computed independently here.
func TestVerify(t *testing.T) {
	data := make([]byte, 10000)
	for i := range data {
		data[i] = byte(i * 7 / 3)
	}
	d := newDigest(bytes.NewReader(data), 4000)
	if _, err := d.Read(make([]byte, len(data))); err != nil {
		t.Fatal(err)
	}
	d.finish()
	b64 := func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
	var parts []tmtypes.CompletedPart
	var cat []byte
	for i := 0; i*4000 < len(data); i++ {
		s := sha256.Sum256(data[i*4000 : min(len(data), (i+1)*4000)])
		cat = append(cat, s[:]...)
		parts = append(parts, tmtypes.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ChecksumSHA256: aws.String(b64(s[:]))})
	}
	whole := sha256.Sum256(data)
	comp := sha256.Sum256(cat)
	composite := fmt.Sprintf("%s-%d", b64(comp[:]), len(parts))

	ok := &transfermanager.UploadObjectOutput{CompletedParts: parts, ChecksumSHA256: aws.String(composite)}
	if err := verify(d, ok); err != nil {
		t.Errorf("composite: %v", err)
	}
	if err := verify(d, &transfermanager.UploadObjectOutput{ChecksumSHA256: aws.String(b64(whole[:]))}); err != nil {
		t.Errorf("single: %v", err)
	}
	bad := append([]tmtypes.CompletedPart(nil), parts...)
	bad[1].ChecksumSHA256 = parts[0].ChecksumSHA256
	if err := verify(d, &transfermanager.UploadObjectOutput{CompletedParts: bad, ChecksumSHA256: aws.String(composite)}); err == nil || !strings.Contains(err.Error(), "part 2") {
		t.Errorf("wrong part: %v", err)
	}
	if err := verify(d, &transfermanager.UploadObjectOutput{ChecksumSHA256: aws.String(b64(comp[:]))}); err == nil {
		t.Error("wrong whole checksum: no error")
	}
	if err := verify(d, &transfermanager.UploadObjectOutput{}); err == nil {
		t.Error("no checksum: no error")
	}
}
