package builder

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chrootbuild/chrootbuild/hcl"
	"github.com/chrootbuild/chrootbuild/internal/epoch"
	"github.com/chrootbuild/chrootbuild/internal/filehash"
	"github.com/chrootbuild/chrootbuild/pack"
	"github.com/chrootbuild/chrootbuild/stepcache"
)

// outputFile returns the output's final file and its cache key, or false
// when the output is not kept in the cache: only a pack.File is, its
// content depending only on the root, its attributes and
// SOURCE_DATE_EPOCH.
func (b *builder) outputFile(o hcl.Output) (string, stepcache.Key, bool) {
	p, ok := o.Output.(pack.File)
	if !ok || b.opt.StepCache == "off" {
		return "", "", false
	}
	name := outPath(b.opt.OutDir, p.OutputPath())
	attrs, err := json.Marshal(o.Output)
	if err != nil {
		return "", "", false
	}
	final := b.keys[len(b.keys)-1]
	k := stepcache.NewKey(final, []byte("output"), []byte(o.Kind), attrs, []byte(os.Getenv(epoch.Var)))
	return name, k, true
}

// restoreOutput puts a cached output (and its .sha256) in place; it
// reports whether it did.
func (b *builder) restoreOutput(o hcl.Output) bool {
	name, k, ok := b.outputFile(o)
	if !ok {
		return false
	}
	sum, err := b.cache.GetFile(k, name)
	if err != nil || sum == "" {
		return false
	}
	return filehash.WriteSidecar(name, sum) == nil
}

// keepOutput keeps a freshly written output, which took packed to pack,
// in the cache; failing to is not an error of the build. It says when the
// remote cache will not hold it (stepcache.WorthFetching).
func (b *builder) keepOutput(o hcl.Output, packed time.Duration) {
	name, k, ok := b.outputFile(o)
	if !ok {
		return
	}
	sum, err := filehash.ReadSidecar(name)
	if err != nil {
		return
	}
	worth, err := b.cache.PutFile(k, name, sum, packed)
	if err != nil {
		b.ev.warn(err.Error())
		return
	}
	if fi, err := os.Stat(name); err == nil && !worth && b.cache.RemoteWrites() {
		b.ev.note(fmt.Sprintf("%s: not uploaded to the remote cache: packed in %.1f s, faster than fetching its %d MB",
			filepath.Base(name), packed.Seconds(), fi.Size()>>20))
	}
}
