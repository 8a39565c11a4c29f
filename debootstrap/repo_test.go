package debootstrap

import (
	"archive/tar"
	"bytes"
	"testing"

	"github.com/chrootbuild/chrootbuild/chroot"
	"github.com/chrootbuild/chrootbuild/internal/aptrepotest"
)

// testPkg and testRepo are the shared signed test repository's package
// and repository (internal/aptrepotest): suite "test", component main,
// architecture amd64.
type (
	testPkg  = aptrepotest.Package
	testRepo = aptrepotest.Repo
)

// newTestRepo builds the repository of pkgs and serves it on loopback.
func newTestRepo(t *testing.T, pkgs []testPkg) *testRepo {
	t.Helper()
	r := aptrepotest.New(t, "", false, pkgs)
	r.Serve(t)
	return r
}

// tarStream builds a tar archive from headers (with contents for regular
// files), for the hostile-archive tests that no packaging tool would make.
func tarStream(t *testing.T, entries []tar.Header, contents map[string]string) *tar.Reader {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range entries {
		h := h
		c := contents[h.Name]
		h.Size = int64(len(c))
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(c))
	}
	tw.Close()
	return tar.NewReader(&buf)
}

// openRoot opens dir as a chroot.Root.
func openRoot(t *testing.T, dir string) *chroot.Root {
	t.Helper()
	r, err := chroot.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writeFile writes data to p, making its folder.
func writeFile(t *testing.T, p string, data []byte) { t.Helper(); aptrepotest.WriteFile(t, p, data) }

// sha is the hex SHA-256 of data.
func sha(data []byte) string { return aptrepotest.SHA256(data) }
