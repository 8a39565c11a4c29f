package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/chrootbuild/chrootbuild/stepcache"
)

// An object larger than partSize goes up as a multipart upload whose
// parts are sent while the rest is still being packed, partsInFlight at a
// time (S3's smallest part is 5 MiB).
const (
	partSize      = 8 << 20
	partsInFlight = 2
)

// partBufs holds part buffers between parts and objects: a fresh 8 MiB
// buffer costs its pages' faults and zeroing for every part. A buffer goes
// back once its request has returned (a stored part was read whole; a
// stale attempt's connection is closed, and every reader checks an
// object's digest anyway).
var partBufs = sync.Pool{New: func() any { return make([]byte, partSize) }}

// PutNew stores what body yields as name with a conditional write
// (If-None-Match: *), so that of builders racing on one key the first
// wins; a server that ignores the condition keeps the last, which is as
// complete and valid. An object already there is stepcache.ErrRemoteExists.
// Only a body read to its end is stored: an object of one part is one PUT,
// a larger one becomes visible when its multipart upload completes, so a
// failed read or a killed build leaves no object (an unfinished upload is
// invisible; AbortIncompleteMultipartUpload in a lifecycle rule removes
// it). The payload is not hashed for the signature (UNSIGNED-PAYLOAD):
// every object carries its own digest, checked by every reader.
func (r *RemoteCache) PutNew(ctx context.Context, name string, body io.Reader) error {
	first := partBufs.Get().([]byte)
	defer partBufs.Put(first)
	n, err := io.ReadFull(body, first)
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		_, err := r.c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: &r.loc.Bucket, Key: r.key(name),
			Body: bytes.NewReader(first[:n]), ContentLength: aws.Int64(int64(n)), IfNoneMatch: aws.String("*")}, unsignedPayload)
		return r.putError(err)
	case err != nil:
		return fmt.Errorf("reading %s: %w", name, err)
	}
	return r.putParts(ctx, name, first, body)
}

func unsignedPayload(o *s3.Options) {
	o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
}

func (r *RemoteCache) putError(err error) error {
	if isPreconditionFailed(err) {
		return stepcache.ErrRemoteExists
	}
	if err != nil {
		return scrub(explain(err, r.loc.Bucket), r.c.secrets...)
	}
	return nil
}

// putParts sends first and the rest of body as a multipart upload and
// completes it; on any failure it aborts the upload.
func (r *RemoteCache) putParts(ctx context.Context, name string, first []byte, body io.Reader) error {
	up, err := r.c.s3.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &r.loc.Bucket, Key: r.key(name)})
	if err != nil {
		return r.putError(err)
	}
	parts, err := r.sendParts(ctx, name, up.UploadId, first, body)
	if err == nil {
		_, err = r.c.s3.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: &r.loc.Bucket,
			Key: r.key(name), UploadId: up.UploadId, IfNoneMatch: aws.String("*"),
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
		err = r.putError(err)
	}
	if err != nil {
		actx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // ctx may be over
		defer cancel()
		r.c.s3.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: &r.loc.Bucket, Key: r.key(name), UploadId: up.UploadId})
	}
	return err
}

// sendParts uploads first, then body partSize at a time as it comes, and
// returns the parts in order once every one is stored.
func (r *RemoteCache) sendParts(ctx context.Context, name string, id *string, first []byte, body io.Reader) ([]types.CompletedPart, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		parts   []types.CompletedPart
		sendErr error
	)
	sem := make(chan struct{}, partsInFlight)
	send := func(num int32, b []byte) {
		defer func() { <-sem; wg.Done() }()
		if num > 1 {
			defer partBufs.Put(b[:partSize]) // the first is PutNew's
		}
		out, err := r.c.s3.UploadPart(ctx, &s3.UploadPartInput{Bucket: &r.loc.Bucket, Key: r.key(name), UploadId: id,
			PartNumber: aws.Int32(num), Body: bytes.NewReader(b), ContentLength: aws.Int64(int64(len(b)))}, unsignedPayload)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && sendErr == nil {
			sendErr = r.putError(err)
			cancel()
		}
		if err == nil {
			parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
		}
	}
	var readErr error
	for buf, num := first, int32(1); ctx.Err() == nil; num++ {
		sem <- struct{}{}
		wg.Add(1)
		go send(num, buf)
		if len(buf) < partSize {
			break // the last part
		}
		buf = partBufs.Get().([]byte)
		n, err := io.ReadFull(body, buf)
		if errors.Is(err, io.EOF) {
			partBufs.Put(buf)
			break
		}
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			readErr = fmt.Errorf("reading %s: %w", name, err)
			break
		}
		buf = buf[:n]
	}
	wg.Wait()
	if err := errors.Join(readErr, sendErr, ctx.Err()); err != nil {
		return nil, err
	}
	sort.Slice(parts, func(i, j int) bool { return *parts[i].PartNumber < *parts[j].PartNumber })
	return parts, nil
}
