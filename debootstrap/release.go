package debootstrap

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
)

// release is a verified Release file of one suite.
type release struct {
	Suite, Codename string
	ValidUntil      time.Time // zero when the Release sets none
	Architectures   []string
	Components      []string
	ByHash          bool
	Files           map[string]fileSum // path below dists/SUITE -> SHA256 and size
	SHA256          string             // of the signed text
}

// fileSum is a file's SHA256 and size as listed in a Release file or a
// Packages stanza.
type fileSum struct {
	SHA256 string
	Size   int64
}

// verifyInRelease checks the clearsigned InRelease data against keys and
// returns the signed text.
func verifyInRelease(data []byte, keys openpgp.EntityList) ([]byte, error) {
	block, _ := clearsign.Decode(data)
	if block == nil && keys == nil {
		return data, nil // insecure: an unsigned InRelease is a plain Release
	}
	if block == nil {
		return nil, fmt.Errorf("not a clearsigned message")
	}
	if keys == nil {
		return block.Plaintext, nil
	}
	_, err := block.VerifySignature(keys, nil)
	if err != nil {
		return nil, fmt.Errorf("verifying signature: %w", err)
	}
	return block.Plaintext, nil
}

// verifyDetached checks a Release file against its Release.gpg signature.
func verifyDetached(data, sig []byte, keys openpgp.EntityList) error {
	var err error
	if bytes.HasPrefix(bytes.TrimSpace(sig), []byte("-----BEGIN")) {
		_, err = openpgp.CheckArmoredDetachedSignature(keys, bytes.NewReader(data), bytes.NewReader(sig), nil)
	} else {
		_, err = openpgp.CheckDetachedSignature(keys, bytes.NewReader(data), bytes.NewReader(sig), nil)
	}
	if err != nil {
		return fmt.Errorf("verifying signature: %w", err)
	}
	return nil
}

// isSHA256 reports whether s is a SHA256 sum in hex.
func isSHA256(s string) bool {
	_, err := hex.DecodeString(s)
	return len(s) == 64 && err == nil
}

// parseRelease reads the fields of a Release file that bootstrapping needs.
func parseRelease(text []byte) (*release, error) {
	sum := sha256.Sum256(text)
	r := &release{Files: map[string]fileSum{}, SHA256: hex.EncodeToString(sum[:])}
	var first paragraph
	err := readParagraphs(bytes.NewReader(text), nil, func(p paragraph) error {
		if first == nil {
			first = maps.Clone(p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if first == nil {
		return nil, fmt.Errorf("empty Release file")
	}
	r.Suite, r.Codename = first["Suite"], first["Codename"]
	if v, ok := first["Valid-Until"]; ok {
		if r.ValidUntil, err = parseReleaseTime("Valid-Until", v); err != nil {
			return nil, err
		}
	}
	r.Architectures = strings.Fields(first["Architectures"])
	r.Components = strings.Fields(first["Components"])
	r.ByHash = strings.EqualFold(first["Acquire-By-Hash"], "yes")
	for _, l := range fieldLines(first["SHA256"]) {
		f := strings.Fields(l)
		if len(f) != 3 {
			return nil, fmt.Errorf("malformed SHA256 line %q", l)
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("malformed size in SHA256 line %q", l)
		}
		if !isSHA256(f[0]) {
			return nil, fmt.Errorf("malformed SHA256 sum in line %q", l)
		}
		r.Files[f[2]] = fileSum{SHA256: f[0], Size: size}
	}
	if len(r.Files) == 0 {
		return nil, fmt.Errorf("release file lists no SHA256 sums")
	}
	return r, nil
}
