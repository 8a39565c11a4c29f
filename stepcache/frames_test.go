package stepcache

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/s2"
	"golang.org/x/sys/unix"
)

// TestObjectFramesSideBySide packs an object of three and a half frames'
// worth of content with two compressors and checks that it is a series of
// S2 streams, one per frameSize of input, that an S2 reader reads back
// whole as the stream the object was (manifest, then the file), and that
// the compressors run on threads as nice as the uploaders'.
func TestObjectFramesSideBySide(t *testing.T) {
	r := &remote{frames: make(chan *frame, uploaders*framesAhead)}
	for range 2 {
		go r.compressor()
	}
	body := make([]byte, 3*frameSize+frameSize/2)
	for i := range body {
		body[i] = byte(i*7 + i/4096) // compressible, never one repeated block
	}
	file := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	var obj bytes.Buffer
	man := manifest{Kind: "output", Key: "k", Digest: "d", Size: int64(len(body)), Version: "test"}
	if err := writeObject(&obj, r.frames, man, func(tw *tar.Writer) error { return writeFileEntry(tw, file, int64(len(body))) }); err != nil {
		t.Fatal(err)
	}
	magic := []byte("\xff\x06\x00\x00S2sTwO") // an S2 stream's identifier
	if n := bytes.Count(obj.Bytes(), magic); n != 4 {
		t.Fatalf("object of %d bytes of input holds %d S2 streams, want one per %d", len(body), n, frameSize)
	}
	tr := tar.NewReader(s2.NewReader(&obj, s2.ReaderMaxBlockSize(frameSize)))
	for _, want := range []string{manifestName, outputName} {
		hdr, err := tr.Next()
		if err != nil || hdr.Name != want {
			t.Fatalf("object entry %v (%v), want %s", hdr, err, want)
		}
	}
	got, err := io.ReadAll(tr)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("object's file read back: %d bytes (%v), want the %d written", len(got), err, len(body))
	}
	p, err := unix.Getpriority(unix.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := min(20-p+uploadNice, 19)
	var tids []int
	for range 100 { // a compressor given no frame may not have started
		r.threads.mu.Lock()
		tids = tids[:0]
		for tid := range r.threads.tids {
			tids = append(tids, tid)
		}
		r.threads.mu.Unlock()
		if len(tids) == 2 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(tids) != 2 {
		t.Fatalf("%d compressor threads made nicer, want 2", len(tids))
	}
	for _, tid := range tids {
		p, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
		if err != nil || 20-p != want {
			t.Fatalf("compressor thread %d nice %d (%v), want %d", tid, 20-p, err, want)
		}
	}
}
