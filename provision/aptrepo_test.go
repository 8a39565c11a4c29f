package provision

import (
	"path/filepath"
	"testing"

	"github.com/chrootbuild/chrootbuild/internal/aptrepotest"
)

// localRepo builds a flat apt repository inside the root at /srv/repo
// holding one package, name (installing /usr/share/NAME/hello), signed by
// a fresh key, and returns that key ASCII-armored. Everything the
// repository needs is made here, so apt works offline against it.
func localRepo(t *testing.T, rootDir, name string) (armoredKey string) {
	t.Helper()
	r := aptrepotest.New(t, filepath.Join(rootDir, "srv/repo"), true, []aptrepotest.Package{{
		Name: name, Version: "1.0", Arch: "all",
		Files: map[string]string{"usr/share/" + name + "/hello": "hello from the local repo\n"},
	}})
	return r.ArmoredKey(t)
}
