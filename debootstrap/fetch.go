package debootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"
)

// fetcher downloads files into the cache with retries, backoff and
// resumption of partial downloads.
type fetcher struct {
	client  *http.Client
	cache   *cache
	retries int
	backoff time.Duration
	log     io.Writer // says when a download waits for another build's
}

func newFetcher(c *cache) *fetcher {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	return &fetcher{client: &http.Client{Transport: tr}, cache: c, retries: 4, backoff: 500 * time.Millisecond, log: io.Discard}
}

// httpError is a response status that retrying will not fix.
type httpError struct {
	status string
}

func (e *httpError) Error() string { return e.status }

// get returns the cache path of the file at url whose SHA256 and size
// (-1 when unknown) are given, downloading it when the cache lacks it.
func (f *fetcher) get(ctx context.Context, url, sum string, size int64) (string, error) {
	p, _, err := f.getFile(ctx, url, sum, size)
	return p, err
}

// getFile is get that also says whether the file was downloaded.
func (f *fetcher) getFile(ctx context.Context, url, sum string, size int64) (string, bool, error) {
	if p, ok, err := f.cache.lookup(sum, size); ok || err != nil {
		return p, false, err
	}
	unlock, err := f.lock(sum, url)
	if err != nil {
		return "", false, err
	}
	defer unlock()
	// Another build may have finished it while we waited for the lock.
	if p, ok, err := f.cache.lookup(sum, size); ok || err != nil {
		return p, false, err
	}
	var last error
	for attempt := 0; attempt <= f.retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return "", false, ctx.Err()
			case <-time.After(f.backoff << (attempt - 1)):
			}
		}
		last = f.download(ctx, url, sum, size)
		var he *httpError
		if last == nil || errors.As(last, &he) || ctx.Err() != nil {
			break
		}
	}
	if last != nil {
		return "", false, fmt.Errorf("fetching %s: %w", url, last)
	}
	path, err := f.cache.publish(f.cache.partial(sum), sum)
	return path, true, err
}

// lock serialises downloads of one file between concurrent builds that
// share the cache; a build that has to wait says for what.
func (f *fetcher) lock(sum, url string) (func(), error) {
	lf, err := os.OpenFile(f.cache.lockPath(sum), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking cache entry: %w", err)
	}
	err = syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		fmt.Fprintf(f.log, "waiting for another build sharing the package cache to finish downloading %s\n", url)
		err = syscall.Flock(int(lf.Fd()), syscall.LOCK_EX)
	}
	if err != nil {
		lf.Close()
		return nil, fmt.Errorf("locking cache entry: %w", err)
	}
	// The lock file stays: removing it would let a third build lock a new
	// file while a second still holds the old one.
	return func() { lf.Close() }, nil
}

// download appends to the partial file, asking the server for the rest
// only, and verifies the whole once complete. A partial file that turns
// out wrong is removed so that the next attempt starts over.
func (f *fetcher) download(ctx context.Context, url, sum string, size int64) error {
	part := f.cache.partial(sum)
	out, err := os.OpenFile(part, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	h := sha256.New()
	have, err := io.Copy(h, out)
	if err != nil {
		return err
	}
	if size >= 0 && have > size {
		have = 0
	}
	resp, err := f.request(ctx, url, have)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		have = 0
		h.Reset()
	}
	if err := out.Truncate(have); err != nil {
		return err
	}
	if _, err := out.Seek(have, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(io.MultiWriter(out, h), resp.Body); err != nil {
		return fmt.Errorf("reading body: %w", err)
	}
	return checkSum(h, sum, out, part, have > 0)
}

// checkSum verifies a finished download. A mismatch after resuming may
// come from a bad partial file and is worth one more try from scratch; a
// mismatch of a whole download is the mirror's and is final.
func checkSum(h hash.Hash, sum string, out *os.File, part string, resumed bool) error {
	got := hex.EncodeToString(h.Sum(nil))
	if got == sum {
		return nil
	}
	out.Close()
	os.Remove(part)
	msg := fmt.Sprintf("checksum mismatch: got sha256 %s, want %s", got, sum)
	if resumed {
		return errors.New(msg)
	}
	return &httpError{status: msg}
}

func (f *fetcher) request(ctx context.Context, url string, from int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if from > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(from, 10)+"-")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusPartialContent:
		return resp, nil
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		resp.Body.Close()
		return f.request(ctx, url, 0)
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		resp.Body.Close()
		return nil, fmt.Errorf("server answered %s", resp.Status)
	}
	resp.Body.Close()
	return nil, &httpError{status: "server answered " + resp.Status}
}

// getBytes fetches a small file that is not content-addressed (InRelease,
// Release.gpg), with the same retries.
func (f *fetcher) getBytes(ctx context.Context, url string) ([]byte, error) {
	var last error
	for attempt := 0; attempt <= f.retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(f.backoff << (attempt - 1)):
			}
		}
		resp, err := f.request(ctx, url, 0)
		if err == nil {
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil {
				return data, nil
			}
			last = err
			continue
		}
		last = err
		var he *httpError
		if errors.As(err, &he) || ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("fetching %s: %w", url, last)
}
