package stepcache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// Key names a cache entry: a hash of its parent's key and of everything
// that determines the entry's content.
type Key string

// Short is the key's first 12 hex digits, for messages.
func (k Key) Short() string {
	if len(k) > 12 {
		return string(k[:12])
	}
	return string(k)
}

// NewKey hashes parent and parts into a key. Each part is length-prefixed
// so that no two different lists of parts hash alike. Keys are 32 hex
// digits: short enough for long overlay lowerdir lists.
func NewKey(parent Key, parts ...[]byte) Key {
	h := sha256.New()
	writePart(h, []byte("chrootbuild step cache v1"))
	writePart(h, []byte(parent))
	for _, p := range parts {
		writePart(h, p)
	}
	return Key(hex.EncodeToString(h.Sum(nil))[:32])
}

func writePart(h interface{ Write([]byte) (int, error) }, p []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(p)))
	h.Write(n[:])
	h.Write(p)
}
