package debootstrap

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xi2/xz"
)

// Package is one binary package stanza of a Packages index, reduced to
// what bootstrapping needs.
type Package struct {
	Name, Version, Arch string
	Priority, MultiArch string
	Essential           bool
	Depends, PreDepends string
	Provides            string
	Filename            string
	Size                int64
	SHA256              string
}

var packageFields = map[string]bool{
	"Package": true, "Version": true, "Architecture": true, "Priority": true,
	"Multi-Arch": true, "Essential": true, "Depends": true, "Pre-Depends": true,
	"Provides": true, "Filename": true, "Size": true, "SHA256": true,
}

// indexFormats is the order in which compressed Packages files are
// preferred: xz is the smallest download.
var indexFormats = []string{".xz", ".gz", ""}

// indexPath picks the Packages file of component for arch that the
// Release lists, in order of preference.
func indexPath(rel *release, component, arch string) (string, fileSum, error) {
	base := component + "/binary-" + arch + "/Packages"
	for _, ext := range indexFormats {
		if s, ok := rel.Files[base+ext]; ok {
			return base + ext, s, nil
		}
	}
	return "", fileSum{}, fmt.Errorf("release file lists no %s index", base)
}

// loadIndex returns the packages of one component, from the parsed-index
// cache when this exact index (by SHA256) was read before.
func (a *archive) loadIndex(ctx context.Context, component string) ([]Package, error) {
	path, sum, err := indexPath(a.rel, component, a.arch)
	if err != nil {
		return nil, err
	}
	parsed := a.fetch.cache.parsed(sum.SHA256)
	url := a.distURL(path)
	if pkgs, err := readParsed(parsed); err == nil {
		if err := checkPackages(pkgs); err != nil {
			return nil, fmt.Errorf("reading %s: %w", url, err)
		}
		return pkgs, nil
	}
	get := url
	if a.rel.ByHash {
		get = a.distURL(filepath.Dir(path) + "/by-hash/SHA256/" + sum.SHA256)
	}
	file, err := a.fetch.get(ctx, get, sum.SHA256, sum.Size)
	if err != nil {
		return nil, err
	}
	pkgs, err := parseIndexFile(file, filepath.Ext(path))
	if err == nil {
		err = checkPackages(pkgs)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", url, err)
	}
	writeParsed(parsed, pkgs)
	return pkgs, nil
}

func parseIndexFile(file, ext string) ([]Package, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	switch {
	case ext == ".xz" && hostXZ() != "":
		pr, err := startXZ(hostXZ(), f)
		if err != nil {
			return nil, err
		}
		pkgs, err := parsePackages(pr)
		if cerr := pr.Close(); err == nil {
			err = cerr
		}
		return pkgs, err
	case ext == ".xz":
		if r, err = xz.NewReader(f, 0); err != nil {
			return nil, err
		}
	case ext == ".gz":
		if r, err = gzip.NewReader(f); err != nil {
			return nil, err
		}
	}
	return parsePackages(r)
}

// parsePackages reads a Packages index.
func parsePackages(r io.Reader) ([]Package, error) {
	var pkgs []Package
	err := readParagraphs(r, packageFields, func(p paragraph) error {
		size, err := strconv.ParseInt(p["Size"], 10, 64)
		if p["Size"] != "" && (err != nil || size < 0) {
			return fmt.Errorf("stanza %d: malformed Size %q", len(pkgs)+1, truncate(p["Size"]))
		}
		pkgs = append(pkgs, Package{
			Name: p["Package"], Version: p["Version"], Arch: p["Architecture"],
			Priority: p["Priority"], MultiArch: p["Multi-Arch"],
			Essential: strings.EqualFold(p["Essential"], "yes"),
			Depends:   p["Depends"], PreDepends: p["Pre-Depends"], Provides: p["Provides"],
			Filename: p["Filename"], Size: size, SHA256: p["SHA256"],
		})
		if p["Package"] == "" || p["Filename"] == "" || !isSHA256(p["SHA256"]) {
			return fmt.Errorf("stanza %d: missing Package, Filename or SHA256", len(pkgs))
		}
		return nil
	})
	return pkgs, err
}

// parsedChunk is how many packages go in one gob value of the parsed
// index cache: whole-index values double the peak memory (gob buffers a
// value), one value per package is five times slower to decode.
const parsedChunk = 4096

// readParsed reads a parsed index written by writeParsed.
func readParsed(path string) ([]Package, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReader(f))
	var n int
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	pkgs := make([]Package, 0, n)
	for len(pkgs) < n {
		var chunk []Package
		if err := dec.Decode(&chunk); err != nil {
			return nil, err
		}
		pkgs = append(pkgs, chunk...)
	}
	return pkgs, nil
}

// writeParsed keeps a parsed index for the next build: its length, then
// chunks of packages. Failing to is not an error, only a slower next
// build.
func writeParsed(path string, pkgs []Package) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".parsed-")
	if err != nil {
		return
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	enc := gob.NewEncoder(w)
	err = enc.Encode(len(pkgs))
	for i := 0; err == nil && i < len(pkgs); i += parsedChunk {
		err = enc.Encode(pkgs[i:min(i+parsedChunk, len(pkgs))])
	}
	if err != nil || w.Flush() != nil || tmp.Close() != nil {
		return
	}
	os.Rename(tmp.Name(), path)
}
