package stepcache

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/mountns"
	"github.com/chrootbuild/chrootbuild/internal/testenv"
)

func TestMain(m *testing.M) {
	if os.Geteuid() == 0 {
		if err := mountns.Enter(); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

func TestKeyDependsOnEveryPart(t *testing.T) {
	a := NewKey("", []byte("ab"), []byte("c"))
	b := NewKey("", []byte("a"), []byte("bc"))
	c := NewKey("p", []byte("ab"), []byte("c"))
	if a == b || a == c || len(a) != 32 {
		t.Fatalf("keys collide or have the wrong length: %s %s %s", a, b, c)
	}
	if a != NewKey("", []byte("ab"), []byte("c")) {
		t.Fatal("key is not stable")
	}
}

func commitBase(t *testing.T, c *Cache, k Key, files map[string]string) {
	t.Helper()
	tx, err := c.Begin(k, "", "base")
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		p := filepath.Join(tx.Dir(), name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestLayersStackAndVerify(t *testing.T) {
	testenv.RequireRoot(t)
	c, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	base := NewKey("", []byte("base"))
	commitBase(t, c, base, map[string]string{"etc/a": "A", "etc/b": "B"})
	step := NewKey(base, []byte("step"))
	tx, err := c.Begin(step, base, "step 1")
	if err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	m, err := c.MountLayers(target, []Key{base}, tx.Dir())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(target, "etc/a"), []byte("A2"), 0o644)
	os.Remove(filepath.Join(target, "etc/b"))
	if err := m.Unmount(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	chain, err := c.Chain(step)
	if err != nil || len(chain) != 2 || chain[0] != base {
		t.Fatalf("chain = %v, %v", chain, err)
	}
	m, err = c.MountLayers(target, chain, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(target, "etc/a"))
	_, errB := os.Stat(filepath.Join(target, "etc/b"))
	m.Unmount()
	if string(got) != "A2" || !os.IsNotExist(errB) {
		t.Fatalf("restored root: a=%q, b stat err=%v", got, errB)
	}
	for _, k := range chain {
		if err := c.Verify(k); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(c.LayerDir(base), "etc/a"), []byte("tampered"), 0o644)
	if err := c.Verify(base); err == nil {
		t.Fatal("a tampered layer passed verification")
	}
}

func TestTornEntryIsNeverUsed(t *testing.T) {
	dir := t.TempDir()
	c, _ := Open(dir, 0)
	k := NewKey("", []byte("x"))
	tx, err := c.Begin(k, "", "base")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tx.Dir(), "f"), []byte("half"), 0o644)
	// the build dies here: no Commit
	if c.Has(k) {
		t.Fatal("an uncommitted entry is visible")
	}
	c.Close()
	c2, _ := Open(dir, 0)
	defer c2.Close()
	if ents, _ := os.ReadDir(filepath.Join(dir, layersDir)); len(ents) != 0 || c2.Has(k) {
		t.Fatalf("torn entry left behind: %v", ents)
	}
}

func TestEvictRemovesLeastRecentlyUsedWithDescendants(t *testing.T) {
	c, _ := Open(t.TempDir(), 0)
	a := NewKey("", []byte("a"))
	commitBase(t, c, a, map[string]string{"f": string(make([]byte, 1000))})
	b := NewKey("", []byte("b"))
	commitBase(t, c, b, map[string]string{"f": string(make([]byte, 1000))})
	child := NewKey(a, []byte("child"))
	tx, _ := c.Begin(child, a, "child")
	os.WriteFile(filepath.Join(tx.Dir(), "g"), make([]byte, 100), 0o644)
	tx.Commit()
	if err := c.Verify(b); err != nil { // b is now the most recently used
		t.Fatal(err)
	}
	c.limit = 1500
	if err := c.Evict(); err != nil {
		t.Fatal(err)
	}
	if c.Has(a) || c.Has(child) || !c.Has(b) {
		t.Fatalf("after eviction: a=%v child=%v b=%v", c.Has(a), c.Has(child), c.Has(b))
	}
}
