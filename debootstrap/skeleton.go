package debootstrap

import (
	"archive/tar"
	"fmt"
	"io"
	"time"
)

// repackHow says what unpackRepack makes of a .deb besides its copy.
type repackHow struct {
	extract  bool        // write the data into the root
	rule     *unpackRule // where dpkg would put each entry (nil: plainly); receives the conffiles
	skeleton bool        // the copy's data.tar lists the entries without their contents
	plain    io.Writer   // receives the uncompressed data.tar (nil: not kept)
}

// skeletonData reads the data tar from r (extracting it when how says so)
// and writes to out a tar of the same entries, in the same order, with
// every file empty: all dpkg --unpack --path-exclude=/* reads of it is the
// names, so it need not pipe the whole contents through dpkg-deb. GNU
// long names, which dpkg reads, carry names over 100 bytes.
func (x *extractor) skeletonData(r io.Reader, out io.Writer, how repackHow) error {
	tr := tar.NewReader(r)
	tw := tar.NewWriter(out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading data archive: %w", err)
		}
		if how.extract {
			if err := x.entry(h, tr, how.rule); err != nil {
				return err
			}
		}
		if err := tw.WriteHeader(skeletonHeader(h)); err != nil {
			return fmt.Errorf("writing the file list of %s for dpkg: %w", h.Name, err)
		}
	}
	return tw.Close()
}

func skeletonHeader(h *tar.Header) *tar.Header {
	s := *h
	if s.Typeflag == tar.TypeReg {
		s.Size = 0
	}
	s.Format = tar.FormatGNU
	s.PAXRecords, s.Xattrs = nil, nil
	s.AccessTime, s.ChangeTime = time.Time{}, time.Time{}
	return &s
}
