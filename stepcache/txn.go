package stepcache

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Txn is an entry being written: its layer folder lives under a temporary
// name until Commit.
type Txn struct {
	c      *Cache
	key    Key
	parent Key
	label  string
	tmp    string
	// expect is the digest the layer must have (a layer fetched from the
	// remote cache), and fromRemote keeps it from being sent back.
	expect     string
	fromRemote bool
	// digest and size, when set, are the layer's Digest computed as it
	// was restored, so that Commit need not read it again.
	digest string
	size   int64
}

// Begin starts writing the entry k, built on parent ("" for a base layer).
// label says what built it (for messages and plan).
func (c *Cache) Begin(k, parent Key, label string) (*Txn, error) {
	tmp, err := os.MkdirTemp(filepath.Join(c.dir, layersDir), string(k)+tmpMark)
	if err != nil {
		return nil, fmt.Errorf("starting step cache entry %s: %w", k.Short(), err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	return &Txn{c: c, key: k, parent: parent, label: label, tmp: tmp}, nil
}

// Dir is the folder the entry's layer is written in.
func (t *Txn) Dir() string { return t.tmp }

// Commit records the layer's digest and moves it under its final name.
// The metadata is written last: an entry without it does not exist.
func (t *Txn) Commit() error {
	digest, size, err := t.digest, t.size, error(nil)
	if digest == "" && t.c.mode != ModeDirect { // a direct build keeps nothing to verify
		digest, size, err = Digest(t.tmp)
	}
	if err != nil {
		return fmt.Errorf("committing step cache entry %s: %w", t.key.Short(), err)
	}
	if t.expect != "" && digest != t.expect {
		t.Abort()
		return fmt.Errorf("committing step cache entry %s: content does not match its digest", t.key.Short())
	}
	final := t.c.LayerDir(t.key)
	t.c.Remove(t.key) // a stale or corrupted entry of the same key
	if err := os.Rename(t.tmp, final); err != nil {
		return fmt.Errorf("committing step cache entry %s: %w", t.key.Short(), err)
	}
	t.c.committed(t.tmp, t.key)
	m := meta{Parent: t.parent, Label: t.label, Digest: digest, Size: size, Created: time.Now().UTC()}
	b, _ := json.Marshal(m)
	tmpMeta := final + tmpMark + "json"
	if err := writeSync(tmpMeta, b); err != nil {
		return fmt.Errorf("committing step cache entry %s: %w", t.key.Short(), err)
	}
	if err := os.Rename(tmpMeta, t.c.metaPath(t.key)); err != nil {
		return fmt.Errorf("committing step cache entry %s: %w", t.key.Short(), err)
	}
	t.c.markWritten(t.key)
	if !t.fromRemote {
		t.c.uploadLayer(t.key, m)
	}
	return t.c.Evict()
}

// Abort throws the unfinished entry away.
func (t *Txn) Abort() error { return removeAll(t.tmp) }

func writeSync(name string, b []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
