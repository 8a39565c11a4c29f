package s3

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Location is a parsed s3://BUCKET/PREFIX/ URL.
type Location struct {
	Bucket string
	// Prefix is empty or ends with "/".
	Prefix string
}

// ParseURL parses an s3://BUCKET/PREFIX URL. The prefix is a folder: a
// missing trailing slash is added, as the files keep their own names below it.
func ParseURL(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, fmt.Errorf("parsing s3 url %q: %w", raw, err)
	}
	if u.Scheme != "s3" {
		return Location{}, fmt.Errorf("parsing s3 url %q: scheme must be s3://", raw)
	}
	if u.Host == "" {
		return Location{}, fmt.Errorf("parsing s3 url %q: no bucket", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Location{}, fmt.Errorf("parsing s3 url %q: only s3://BUCKET/PREFIX/ is allowed", raw)
	}
	prefix := strings.TrimPrefix(u.Path, "/")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if strings.Contains(prefix, "//") {
		return Location{}, fmt.Errorf("parsing s3 url %q: empty folder name in prefix", raw)
	}
	return Location{Bucket: u.Host, Prefix: prefix}, nil
}

// String returns the location as an s3:// URL.
func (l Location) String() string { return "s3://" + l.Bucket + "/" + l.Prefix }

// URL returns the s3:// URL of key in the location's bucket.
func (l Location) URL(key string) string { return "s3://" + l.Bucket + "/" + key }

// splitExt splits a file's base name at its first dot, so rootfs.tar.gz
// gives ("rootfs", ".tar.gz"); a leading dot belongs to the stem.
func splitExt(base string) (stem, ext string) {
	i := strings.Index(base[min(1, len(base)):], ".")
	if i < 0 {
		return base, ""
	}
	i += min(1, len(base))
	return base[:i], base[i:]
}

// ObjectName is the name a file is published under: NAME-VERSION.EXT, where
// EXT is everything from the first dot of the file's name, NAME defaults to
// the part before it and VERSION, when empty, is left out (NAME.EXT).
func ObjectName(file, name, version string) string {
	stem, ext := splitExt(filepath.Base(file))
	if name == "" {
		name = stem
	}
	if version == "" {
		return name + ext
	}
	return name + "-" + version + ext
}

// checkNamePart refuses a name or version that would make a key with a
// slash or a control character in it.
func checkNamePart(what, s string) error {
	if strings.ContainsAny(s, "/\\") || strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return fmt.Errorf("%s %q: must not hold a slash or a control character", what, s)
	}
	return nil
}
