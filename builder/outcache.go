package builder

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/chrootbuild/chrootbuild/hcl"
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
	name := p.OutputPath()
	if !filepath.IsAbs(name) {
		name = filepath.Join(b.opt.OutDir, name)
	}
	attrs, err := json.Marshal(o.Output)
	if err != nil {
		return "", "", false
	}
	final := b.keys[len(b.keys)-1]
	k := stepcache.NewKey(final, []byte("output"), []byte(o.Kind), attrs, []byte(os.Getenv("SOURCE_DATE_EPOCH")))
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
	line := sum + "  " + filepath.Base(name) + "\n"
	tmp := name + ".sha256.tmp"
	if os.WriteFile(tmp, []byte(line), 0o644) != nil || os.Rename(tmp, name+".sha256") != nil {
		os.Remove(tmp)
		return false
	}
	return true
}

// keepOutput keeps a freshly written output in the cache; failing to is
// not an error of the build.
func (b *builder) keepOutput(o hcl.Output) {
	name, k, ok := b.outputFile(o)
	if !ok {
		return
	}
	line, err := os.ReadFile(name + ".sha256")
	if err != nil {
		return
	}
	sum, _, _ := strings.Cut(string(line), " ")
	if err := b.cache.PutFile(k, name, sum); err != nil {
		b.ev.warn(err.Error())
	}
}
